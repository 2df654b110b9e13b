-- A job as the API shows it (CNaaS-NMS field names, ISO 8601 times, plus the
-- engine's fields), as one JSON text: GET /job/<id> and GET /jobs read
-- `document`, filtering and sorting on the other columns. A plain view: the
-- planner folds it into each query, so indexes on jobs serve as before and
-- the document is built only for the rows returned.
CREATE VIEW job_documents AS
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
           'abort_reason', abort_reason, 'aborted_by', aborted_by)::text AS document
FROM jobs;
