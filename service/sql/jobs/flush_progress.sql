-- Progress of running jobs of worker $2, batched: $1 is a JSON array of
-- {"id", "finished_devices", "change_score", "progress"}.
UPDATE jobs j
SET finished_devices = coalesce(d.finished_devices, j.finished_devices),
    change_score     = coalesce(d.change_score, j.change_score),
    progress         = coalesce(d.progress, j.progress)
FROM jsonb_to_recordset($1::jsonb) AS d(id bigint, finished_devices jsonb, change_score smallint, progress jsonb)
WHERE j.id = d.id AND j.worker_id = $2 AND j.status IN ('RUNNING', 'ABORTING')
