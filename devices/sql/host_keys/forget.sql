-- name: forget :exec
-- params: hostname text
-- One row affected: there was a key to forget.
DELETE FROM device_host_keys WHERE hostname = @hostname
