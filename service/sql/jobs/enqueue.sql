-- name: enqueue :optional
-- params: function_name text, queue text, priority smallint, delay_seconds float8, run_at_epoch float8?,
--         scheduled_by text?, comment text?, ticket_ref text?, start_arguments jsonb, max_attempts integer,
--         timeout_seconds integer, retry_safe boolean, idempotency_key text?, retry_of bigint?,
--         estimated_seconds float8?
-- columns: id bigint
-- Runs at @run_at_epoch (seconds since the epoch) when given, else @delay_seconds from now.
-- No row when the idempotency key is taken (enqueue then reads that job).
INSERT INTO jobs (function_name, queue, priority, scheduled_time, scheduled_by, comment, ticket_ref,
                  start_arguments, max_attempts, timeout_seconds, retry_safe, idempotency_key, retry_of,
                  estimated_seconds)
VALUES (@function_name, @queue, @priority,
        coalesce(to_timestamp(@run_at_epoch::float8), now() + make_interval(secs => @delay_seconds::float8)),
        @scheduled_by, @comment, @ticket_ref, @start_arguments::jsonb, @max_attempts, @timeout_seconds, @retry_safe,
        @idempotency_key, @retry_of, @estimated_seconds::float8)
ON CONFLICT (idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
RETURNING id
