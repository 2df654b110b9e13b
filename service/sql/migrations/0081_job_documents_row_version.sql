-- The API's job document gains row_version, the version of the jobs row it was
-- built from: the row's xmin, the transaction that wrote it, which every
-- UPDATE changes (issue 14, the API tail). GET /jobs keeps ended jobs'
-- documents in memory keyed by (id, row_version), so a page reads only their
-- ids and versions and PostgreSQL builds no JSON for a job it has seen; a
-- version no transaction committed is never visible, and one committed
-- version of a row has one xmin. The raw xmin stays when VACUUM freezes the
-- row. Appended last: CREATE OR REPLACE VIEW keeps the columns before it.
CREATE OR REPLACE VIEW job_documents AS
SELECT id, status, function_name, scheduled_by, comment, ticket_ref, next_job_id, change_score, queue, priority,
       scheduled_time, start_time, finish_time,
       jsonb_build_object(
           'id', id, 'status', status,
           'scheduled_time', scheduled_time, 'start_time', start_time, 'finish_time', finish_time,
           'function_name', function_name, 'scheduled_by', scheduled_by, 'comment', comment,
           'ticket_ref', ticket_ref, 'next_job_id', next_job_id, 'result', result, 'exception', exception,
           'finished_devices', finished_devices, 'change_score', change_score, 'start_arguments', start_arguments,
           'queue', queue, 'priority', priority, 'attempt', attempt, 'max_attempts', max_attempts,
           'errors', errors, 'timeout_seconds', timeout_seconds, 'idempotency_key', idempotency_key,
           'worker_id', worker_id, 'progress', progress, 'created_time', created_time,
           'abort_reason', abort_reason, 'aborted_by', aborted_by,
           'retry_of', retry_of, 'retried_by', retried_by, 'estimated_seconds', estimated_seconds,
           'eta_seconds', CASE WHEN status = 'RUNNING' THEN job_eta_seconds(
               extract(epoch FROM now() - start_time)::float8, estimated_seconds,
               jsonb_array_length(finished_devices),
               CASE WHEN jsonb_typeof(progress -> 'total') = 'number' THEN (progress ->> 'total')::float8 END) END
       )::text AS document,
       xmin::text::bigint AS row_version
FROM jobs;
