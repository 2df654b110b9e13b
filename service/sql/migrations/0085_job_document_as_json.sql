-- A job's document is written as json, not built as jsonb (issue 16).
-- GET /jobs builds the document of every job that may still change on each
-- request, and GET /job a job's outline. jsonb_build_object copied each
-- argument into a new jsonb tree before it was printed: a running
-- 10,000-device sync carries finished_devices and start_arguments' hostnames
-- (10,000 names each), and its document took 15-18 ms to build where
-- json_build_object, which prints each argument as it is, took 6 ms; an
-- ended 300-device job's document 4.4 ms against 1.6 (PostgreSQL 15, this
-- machine, a scratch copy of a bench store). The text is the same JSON; its
-- keys now come in the order written here (jsonb sorted them by length) and
-- the top level's separators are " : ".
--
-- The function's type changes, so the view that uses it is dropped with it
-- and made again as 0083 made it.
DROP VIEW job_documents;
DROP FUNCTION job_document(jobs, jsonb);

CREATE FUNCTION job_document(j jobs, shown_result jsonb) RETURNS json
    LANGUAGE sql STABLE
    AS $$
    SELECT json_build_object(
        'id', j.id, 'status', j.status,
        'scheduled_time', j.scheduled_time, 'start_time', j.start_time, 'finish_time', j.finish_time,
        'function_name', j.function_name, 'scheduled_by', j.scheduled_by, 'comment', j.comment,
        'ticket_ref', j.ticket_ref, 'next_job_id', j.next_job_id, 'result', shown_result, 'exception', j.exception,
        'finished_devices', j.finished_devices, 'change_score', j.change_score, 'start_arguments', j.start_arguments,
        'queue', j.queue, 'priority', j.priority, 'attempt', j.attempt, 'max_attempts', j.max_attempts,
        'errors', j.errors, 'timeout_seconds', j.timeout_seconds, 'idempotency_key', j.idempotency_key,
        'worker_id', j.worker_id, 'progress', j.progress, 'created_time', j.created_time,
        'abort_reason', j.abort_reason, 'aborted_by', j.aborted_by,
        'retry_of', j.retry_of, 'retried_by', j.retried_by, 'estimated_seconds', j.estimated_seconds,
        'eta_seconds', CASE WHEN j.status = 'RUNNING' THEN job_eta_seconds(
            extract(epoch FROM now() - j.start_time)::float8, j.estimated_seconds,
            jsonb_array_length(j.finished_devices),
            CASE WHEN jsonb_typeof(j.progress -> 'total') = 'number' THEN (j.progress ->> 'total')::float8 END) END)
    $$;

CREATE VIEW job_documents AS
SELECT id, status, function_name, scheduled_by, comment, ticket_ref, next_job_id, change_score, queue, priority,
       scheduled_time, start_time, finish_time,
       job_document(jobs, result)::text AS document,
       xmin::text::bigint AS row_version,
       job_document(jobs, CASE WHEN jsonb_typeof(result -> 'devices') = 'object'
                               THEN jsonb_set(result, '{devices}', '{}'::jsonb) ELSE result END)::text AS outline
FROM jobs;
