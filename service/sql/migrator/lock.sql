-- name: lock :exec
-- Serialises processes migrating one database at once (session lock; the
-- key is "SWYMI").
SELECT pg_advisory_lock(357947755849)
