-- name: release_stale :many
-- columns: name text, job_id bigint
-- Locks whose job is not running any more (a finalisation that could not
-- release them, a job deleted by hand). Run by the rescuer.
DELETE FROM job_locks l
WHERE NOT EXISTS (SELECT 1 FROM jobs j WHERE j.id = l.job_id AND j.status IN ('RUNNING', 'ABORTING'))
RETURNING l.name, l.job_id
