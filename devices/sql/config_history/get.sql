-- After columns.sql. $1 hostname, $2 id.
FROM device_config_history h
WHERE h.hostname = $1 AND h.id = $2
