-- After columns.sql. $1 hostname, $2 id: the newest record before $2 whose config differs.
FROM device_config_history h
JOIN device_config_history this ON this.hostname = $1 AND this.id = $2
WHERE h.hostname = $1 AND h.id < $2 AND h.confhash <> this.confhash
ORDER BY h.id DESC
LIMIT 1
