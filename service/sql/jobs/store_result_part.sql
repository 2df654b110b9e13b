-- name: store_result_part :exec
-- params: job_id bigint, attempt integer, seq integer, part text
-- Part @seq of the result attempt @attempt of job @job_id is writing
-- (JobContext::result_sink); the parts, in order, are one JSON text.
INSERT INTO job_result_parts (job_id, attempt, seq, part) VALUES (@job_id, @attempt, @seq, @part)
