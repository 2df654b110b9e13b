-- Claim up to $2 due jobs of queue $1 for worker $3. SKIP LOCKED lets many
-- workers claim side by side without ever taking the same job.
WITH picked AS (
    SELECT id FROM jobs
    WHERE status = 'SCHEDULED' AND queue = $1 AND scheduled_time <= now()
    ORDER BY priority, scheduled_time, id
    LIMIT $2
    FOR UPDATE SKIP LOCKED
)
UPDATE jobs j
SET status = 'RUNNING', start_time = now(), finish_time = NULL, attempt = j.attempt + 1, worker_id = $3
FROM picked
WHERE j.id = picked.id
RETURNING j.id, j.function_name, j.queue, j.attempt, j.max_attempts, j.timeout_seconds,
          j.start_arguments::text, coalesce(j.scheduled_by, ''), j.priority
