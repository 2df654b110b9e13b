-- name: clean_workers :exec
-- Forget dead workers after a day, once no job points at them.
DELETE FROM workers w
WHERE dead_at < now() - interval '1 day'
  AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.worker_id = w.id)
