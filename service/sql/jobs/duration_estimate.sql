-- name: duration_estimate :one
-- params: function_name text, per_device boolean, sample bigint
-- columns: seconds float8?, samples bigint
-- The mean duration of the last @sample FINISHED jobs stored under
-- @function_name (their last attempt), per device when @per_device: divided
-- by the devices each job ran on (progress.total, which a device job reports,
-- else its argument hostnames). Per device, a job that ran on no device
-- (it selected none, or all were synchronized already) is no sample: its
-- few seconds say nothing of how long a device takes. Only the newest 1,000
-- jobs of the name are looked at, so a deep backlog of waiting jobs costs no
-- more than that.
SELECT avg(seconds / devices)::float8 AS seconds, count(*) AS samples FROM (
    SELECT seconds, devices FROM (
        SELECT id, extract(epoch FROM finish_time - start_time)::float8 AS seconds,
               CASE WHEN NOT @per_device THEN 1
                    WHEN jsonb_typeof(progress -> 'total') = 'number' THEN (progress ->> 'total')::float8
                    WHEN jsonb_typeof(start_arguments -> 'hostnames') = 'array'
                    THEN jsonb_array_length(start_arguments -> 'hostnames') ELSE 1 END AS devices
        FROM (SELECT id, status, start_time, finish_time, start_arguments, progress FROM jobs
              WHERE function_name = @function_name ORDER BY id DESC LIMIT 1000) newest
        WHERE status = 'FINISHED' AND start_time IS NOT NULL AND finish_time IS NOT NULL) sized
    WHERE devices >= 1
    ORDER BY id DESC
    LIMIT @sample) recent
