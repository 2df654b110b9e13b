-- GET /job/<id> of an ended 10,000-device sync answered device by device
-- (issue 16): its result is 14 MB of JSON, which the API parsed whole into a
-- tree five to seven times that size, to trim it (filter_jobresult) and to
-- put texts back. The API now reads the job's document without its
-- result's devices (the "outline", a few KB), then the devices a batch at a
-- time (jobs/result_devices.sql), and holds one batch.
--
-- The document is built by one function, job_document(row, result), so that
-- the document and its outline cannot drift apart: the outline is the same
-- document of a result whose devices are emptied. A SQL function of one
-- SELECT is inlined by the planner, and a view column no statement selects
-- is never computed, so GET /jobs' page (ids and versions only) still builds
-- no JSON. Appended last: CREATE OR REPLACE VIEW keeps the columns before it.
CREATE FUNCTION job_document(j jobs, shown_result jsonb) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
    SELECT jsonb_build_object(
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

CREATE OR REPLACE VIEW job_documents AS
SELECT id, status, function_name, scheduled_by, comment, ticket_ref, next_job_id, change_score, queue, priority,
       scheduled_time, start_time, finish_time,
       job_document(jobs, result)::text AS document,
       xmin::text::bigint AS row_version,
       job_document(jobs, CASE WHEN jsonb_typeof(result -> 'devices') = 'object'
                               THEN jsonb_set(result, '{devices}', '{}'::jsonb) ELSE result END)::text AS outline
FROM jobs;
