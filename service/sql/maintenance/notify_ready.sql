-- name: notify_ready :exec
-- params: queue text
-- Wakes the workers of @queue (sent when the transaction commits).
SELECT pg_notify('switchyard_job_ready', @queue)
