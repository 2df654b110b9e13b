-- The select list that turns a jobs row into the API's JSON (CNaaS-NMS field
-- names, ISO 8601 times) plus the engine's fields. Used by get and list.
jsonb_build_object(
    'id', id, 'status', status,
    'scheduled_time', scheduled_time, 'start_time', start_time, 'finish_time', finish_time,
    'function_name', function_name, 'scheduled_by', scheduled_by, 'comment', comment,
    'ticket_ref', ticket_ref, 'next_job_id', next_job_id, 'result', result, 'exception', exception,
    'finished_devices', finished_devices, 'change_score', change_score, 'start_arguments', start_arguments,
    'queue', queue, 'priority', priority, 'attempt', attempt, 'max_attempts', max_attempts,
    'errors', errors, 'timeout_seconds', timeout_seconds, 'idempotency_key', idempotency_key,
    'worker_id', worker_id, 'progress', progress, 'created_time', created_time,
    'abort_reason', abort_reason, 'aborted_by', aborted_by)::text
