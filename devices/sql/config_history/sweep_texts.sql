-- name: sweep_texts :exec
-- Texts no record points at any more (pruned, or their device was deleted),
-- nor a job's texts (job_texts/store.sql; they go with their job).
DELETE FROM device_config_texts t
WHERE NOT EXISTS (SELECT 1 FROM device_config_history h WHERE h.text_sha256 = t.sha256)
  AND NOT EXISTS (SELECT 1 FROM job_device_texts j WHERE j.text_sha256 = t.sha256)
