-- name: drop_result_parts :exec
-- params: job_id bigint, attempt integer
-- A result this attempt began to write in parts and then began again.
DELETE FROM job_result_parts WHERE job_id = @job_id AND attempt = @attempt
