-- name: set_next_job :exec
-- params: id bigint, next_job_id bigint
UPDATE jobs SET next_job_id = @next_job_id WHERE id = @id
