-- name: update :exec
-- params: id bigint, name text, function_name text, arguments jsonb, cron text?, time_zone text,
--         interval_seconds integer?, anchor_epoch float8, enabled boolean, missed text, priority smallint?,
--         comment text?, next_run_epoch float8
UPDATE schedules
SET name = @name, function_name = @function_name, arguments = @arguments::jsonb, cron = @cron, time_zone = @time_zone,
    interval_seconds = @interval_seconds, anchor = to_timestamp(@anchor_epoch::float8), enabled = @enabled,
    missed = @missed, priority = @priority, comment = @comment, next_run_at = to_timestamp(@next_run_epoch::float8),
    updated_time = now()
WHERE id = @id
