-- First sight wins: a concurrent writer's key stays, and the caller re-reads
-- it to compare.
INSERT INTO device_host_keys (hostname, key_type, public_key, fingerprint)
VALUES ($1, $2, $3, $4)
ON CONFLICT (hostname) DO NOTHING
