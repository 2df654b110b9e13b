-- name: definition :optional
-- params: id bigint
-- columns: name text, function_name text, arguments jsonb, cron text?, time_zone text, interval_seconds integer?,
--          anchor_epoch float8, enabled boolean, missed text, priority smallint?, comment text?,
--          next_run_epoch float8
-- What PUT /schedule/<id> changes, locked until it is written back.
SELECT name, function_name, arguments, cron, time_zone, interval_seconds, extract(epoch FROM anchor)::float8 AS anchor_epoch,
       enabled, missed, priority, comment, extract(epoch FROM next_run_at)::float8 AS next_run_epoch
FROM schedules WHERE id = @id
FOR UPDATE
