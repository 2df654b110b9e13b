-- name: create :optional
-- params: name text, function_name text, arguments jsonb, cron text?, time_zone text, interval_seconds integer?,
--         anchor_epoch float8, enabled boolean, missed text, priority smallint?, comment text?,
--         next_run_epoch float8, created_by text?
-- columns: id bigint
-- No row when the name is taken.
INSERT INTO schedules (name, function_name, arguments, cron, time_zone, interval_seconds, anchor, enabled, missed,
                       priority, comment, next_run_at, created_by)
VALUES (@name, @function_name, @arguments::jsonb, @cron, @time_zone, @interval_seconds,
        to_timestamp(@anchor_epoch::float8), @enabled, @missed, @priority, @comment,
        to_timestamp(@next_run_epoch::float8), @created_by)
ON CONFLICT (name) DO NOTHING
RETURNING id
