-- name: store_result_part :exec
-- params: job_id bigint, attempt integer, seq integer, part text
-- Part @seq of the result attempt @attempt of job @job_id is writing
-- (JobContext::result_sink); the parts, in order, are one JSON text.
-- Written again as it was when the pool retries after a connection lost
-- around the commit (the first write may have committed).
INSERT INTO job_result_parts (job_id, attempt, seq, part) VALUES (@job_id, @attempt, @seq, @part)
ON CONFLICT (job_id, attempt, seq) DO UPDATE SET part = EXCLUDED.part
