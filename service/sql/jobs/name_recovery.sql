-- name: name_recovery :exec
-- params: id bigint, recovery_job_id bigint
-- Job @id ended abnormally and job @recovery_job_id repairs what it left half
-- done: its next job, named in its result (in the transaction that ends it).
UPDATE jobs
SET next_job_id = @recovery_job_id,
    result = (CASE WHEN jsonb_typeof(result) = 'object' THEN result ELSE '{}'::jsonb END)
             || jsonb_build_object('recovery_job_id', @recovery_job_id::bigint)
WHERE id = @id
