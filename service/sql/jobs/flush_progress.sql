-- name: flush_progress :exec
-- params: progress jsonb, worker_id bigint
-- Progress of running jobs of worker @worker_id, batched: @progress is a JSON array of
-- {"id", "finished_devices", "change_score", "progress"}.
UPDATE jobs j
SET finished_devices = coalesce(d.finished_devices, j.finished_devices),
    change_score     = coalesce(d.change_score, j.change_score),
    progress         = coalesce(d.progress, j.progress)
FROM jsonb_to_recordset(@progress::jsonb) AS d(id bigint, finished_devices jsonb, change_score smallint, progress jsonb)
WHERE j.id = d.id AND j.worker_id = @worker_id AND j.status IN ('RUNNING', 'ABORTING')
