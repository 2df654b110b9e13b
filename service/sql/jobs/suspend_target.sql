-- name: suspend_target :optional
-- params: id bigint
-- columns: status text, function_name text, start_arguments jsonb, suspend_requested boolean
-- Job @id as a SUSPEND or RESUME sees it, locked until the transaction ends
-- (whether its kind can pause with these arguments, the caller decides).
SELECT status, function_name, start_arguments, suspend_requested FROM jobs WHERE id = @id FOR UPDATE
