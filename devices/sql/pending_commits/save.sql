-- A device committed with a timer by job $2; a newer commit replaces an older one.
INSERT INTO device_pending_commits (hostname, job_id, pending, intended_confhash, deadline)
VALUES ($1, $2, $3::jsonb, $4, now() + make_interval(secs => $5))
ON CONFLICT (hostname) DO UPDATE
SET job_id = excluded.job_id, pending = excluded.pending, intended_confhash = excluded.intended_confhash,
    committed_at = excluded.committed_at, deadline = excluded.deadline
