-- name: claim :many
-- params: queue text, limit bigint, worker_id bigint
-- columns: id bigint, function_name text, queue text, attempt integer, max_attempts integer, timeout_seconds integer,
--          start_arguments jsonb, scheduled_by text, priority smallint
-- Claim up to @limit due jobs of @queue for worker @worker_id. SKIP LOCKED lets many
-- workers claim side by side without ever taking the same job.
WITH picked AS (
    SELECT id FROM jobs
    WHERE status = 'SCHEDULED' AND queue = @queue AND scheduled_time <= now()
    ORDER BY priority, scheduled_time, id
    LIMIT @limit
    FOR UPDATE SKIP LOCKED
)
UPDATE jobs j
SET status = 'RUNNING', start_time = now(), finish_time = NULL, attempt = j.attempt + 1, worker_id = @worker_id
FROM picked
WHERE j.id = picked.id
RETURNING j.id, j.function_name, j.queue, j.attempt, j.max_attempts, j.timeout_seconds,
          j.start_arguments, coalesce(j.scheduled_by, '') AS scheduled_by, j.priority
