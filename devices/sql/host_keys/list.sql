-- name: list :many
-- columns: hostname text, key_type text, public_key text, fingerprint text, first_seen text
-- Every remembered key, for operators (first_seen in ISO 8601, UTC).
SELECT hostname, key_type, public_key, fingerprint,
       to_char(first_seen AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS first_seen
FROM device_host_keys
ORDER BY hostname
