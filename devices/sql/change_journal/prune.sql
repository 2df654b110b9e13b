-- name: prune :exec
-- params: keep_days integer
-- Closed changes older than @keep_days days (their configs may hold secrets).
DELETE FROM device_change_journal WHERE closed_at < now() - make_interval(days => @keep_days)
