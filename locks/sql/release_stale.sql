-- name: release_stale :many
-- columns: name text, job_id bigint
-- Locks that no longer bind (a finalisation that could not release them, a
-- job deleted by hand, an attempt rescued). Run by the rescuer.
DELETE FROM job_locks l
WHERE NOT job_lock_is_live(l.job_id, l.attempt)
RETURNING l.name, l.job_id
