-- name: find :optional
-- params: hostname text
-- columns: key_type text, public_key text, fingerprint text
SELECT key_type, public_key, fingerprint FROM device_host_keys WHERE hostname = @hostname
