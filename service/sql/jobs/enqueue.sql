-- $1 function_name, $2 queue, $3 priority, $4 delay seconds, $5 scheduled_by,
-- $6 comment, $7 ticket_ref, $8 start_arguments, $9 max_attempts,
-- $10 timeout_seconds, $11 retry_safe, $12 idempotency_key.
-- No row when the idempotency key is taken (enqueue then reads that job).
INSERT INTO jobs (function_name, queue, priority, scheduled_time, scheduled_by, comment, ticket_ref,
                  start_arguments, max_attempts, timeout_seconds, retry_safe, idempotency_key)
VALUES ($1, $2, $3, now() + make_interval(secs => $4::float8), $5, $6, $7, $8::jsonb, $9, $10, $11, $12)
ON CONFLICT (idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
RETURNING id
