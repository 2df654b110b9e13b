-- name: count :one
-- params: hostname text
-- columns: count bigint
SELECT count(*) AS count FROM device_config_history WHERE hostname = @hostname
