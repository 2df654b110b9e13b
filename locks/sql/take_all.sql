-- name: take_all :exec
-- params: names text[], job_id bigint, attempt integer
-- Takes every lock in @names for this attempt, in name order, once
-- blockers.sql found none (under gate.sql): rows that no longer bind are
-- taken over, rows this attempt holds keep their start time.
INSERT INTO job_locks AS l (name, job_id, attempt)
SELECT n, @job_id, @attempt FROM unnest(@names::text[]) AS n ORDER BY n
ON CONFLICT (name) DO UPDATE
    SET job_id = EXCLUDED.job_id,
        attempt = EXCLUDED.attempt,
        start_time = CASE WHEN l.job_id = EXCLUDED.job_id AND l.attempt = EXCLUDED.attempt THEN l.start_time ELSE now() END,
        abort = false
