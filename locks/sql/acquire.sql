-- name: acquire :optional
-- params: name text, job_id bigint
-- columns: job_id bigint
-- Take the lock for a job in one statement: insert, or take over a lock that
-- this job already holds or whose job is no longer running (a stale row).
-- No row returned: another running job holds it.
INSERT INTO job_locks AS l (name, job_id)
VALUES (@name, @job_id)
ON CONFLICT (name) DO UPDATE
    SET job_id = EXCLUDED.job_id,
        start_time = CASE WHEN l.job_id = EXCLUDED.job_id THEN l.start_time ELSE now() END,
        abort = false
    WHERE l.job_id = EXCLUDED.job_id
       OR NOT EXISTS (SELECT 1 FROM jobs j WHERE j.id = l.job_id AND j.status IN ('RUNNING', 'ABORTING'))
RETURNING job_id
