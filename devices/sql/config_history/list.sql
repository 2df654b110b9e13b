-- After columns.sql. $1 hostname, $2 limit, $3 offset; newest first.
FROM device_config_history h
WHERE h.hostname = $1
ORDER BY h.id DESC
LIMIT $2 OFFSET $3
