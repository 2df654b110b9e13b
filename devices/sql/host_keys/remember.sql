-- name: remember :exec
-- params: hostname text, key_type text, public_key text, fingerprint text
-- First sight wins: a concurrent writer's key stays, and the caller re-reads
-- it to compare. One row affected: this call stored the key.
INSERT INTO device_host_keys (hostname, key_type, public_key, fingerprint)
VALUES (@hostname, @key_type, @public_key, @fingerprint)
ON CONFLICT (hostname) DO NOTHING
