-- name: due :many
-- params: limit bigint
-- columns: id bigint, name text, function_name text, arguments jsonb, cron text?, time_zone text,
--          interval_seconds integer?, anchor_epoch float8, missed text, priority smallint?,
--          next_run_epoch float8, now_epoch float8
-- Enabled schedules whose next tick has come, locked by the leader until
-- their ticks are enqueued and next_run_at has moved on (SKIP LOCKED: a
-- second leader in a lease handover never waits for, nor repeats, them).
SELECT id, name, function_name, arguments, cron, time_zone, interval_seconds,
       extract(epoch FROM anchor)::float8 AS anchor_epoch, missed, priority,
       extract(epoch FROM next_run_at)::float8 AS next_run_epoch, extract(epoch FROM now())::float8 AS now_epoch
FROM schedules
WHERE enabled AND next_run_at <= now()
ORDER BY next_run_at
LIMIT @limit
FOR UPDATE SKIP LOCKED
