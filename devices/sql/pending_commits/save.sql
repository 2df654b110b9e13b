-- name: save :exec
-- params: hostname text, job_id bigint, pending jsonb, intended_confhash text, timer_seconds float8
-- A device committed with a timer by job @job_id; a newer commit replaces an older one.
INSERT INTO device_pending_commits (hostname, job_id, pending, intended_confhash, deadline)
VALUES (@hostname, @job_id, @pending::jsonb, @intended_confhash, now() + make_interval(secs => @timer_seconds))
ON CONFLICT (hostname) DO UPDATE
SET job_id = excluded.job_id, pending = excluded.pending, intended_confhash = excluded.intended_confhash,
    committed_at = excluded.committed_at, deadline = excluded.deadline
