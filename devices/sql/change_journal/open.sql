-- name: open :one
-- params: job_id bigint, attempt integer, hostname text, config_before text, intended text
-- columns: id bigint
-- Attempt @attempt of job @job_id is about to change device @hostname.
INSERT INTO device_change_journal (job_id, attempt, sync_job_id, hostname, config_before, intended, phase)
VALUES (@job_id, @attempt, @job_id, @hostname, @config_before, @intended, 'pushing')
RETURNING id
