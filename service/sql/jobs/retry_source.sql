-- name: retry_source :optional
-- params: id bigint
-- columns: status text, function_name text, queue text, priority smallint, start_arguments jsonb,
--          max_attempts integer, timeout_seconds integer, comment text?, ticket_ref text?, retried_by bigint?
-- The job to run again, locked until its retry is linked to it.
SELECT status, function_name, queue, priority, start_arguments, max_attempts, timeout_seconds, comment, ticket_ref,
       retried_by
FROM jobs WHERE id = @id
FOR UPDATE
