-- name: texts :many
-- params: job_id bigint, ids bigint[]
-- columns: id bigint, text text
-- The texts of job @job_id among @ids (an id of another job is not found).
SELECT j.id, t.config AS text
FROM job_device_texts j
JOIN device_config_texts t ON t.sha256 = j.text_sha256
WHERE j.job_id = @job_id AND j.id = ANY (@ids)
