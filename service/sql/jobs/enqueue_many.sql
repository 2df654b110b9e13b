-- name: enqueue_many :many
-- params: jobs jsonb
-- columns: id bigint
-- Bulk insert for benchmarks and tools: @jobs is a JSON array of
-- {"function_name", "queue", "priority", "start_arguments", "max_attempts", "timeout_seconds", "retry_safe"}.
INSERT INTO jobs (function_name, queue, priority, start_arguments, max_attempts, timeout_seconds, retry_safe)
SELECT function_name, queue, priority, coalesce(start_arguments, '{}'), max_attempts, timeout_seconds, retry_safe
FROM jsonb_to_recordset(@jobs::jsonb) AS j(function_name text, queue text, priority smallint, start_arguments jsonb,
                                        max_attempts integer, timeout_seconds integer, retry_safe boolean)
RETURNING id
