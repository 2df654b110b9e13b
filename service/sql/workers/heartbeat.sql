-- No row: the worker was declared dead (its jobs were rescued).
UPDATE workers SET heartbeat_at = now() WHERE id = $1 AND dead_at IS NULL RETURNING id
