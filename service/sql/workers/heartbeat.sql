-- name: heartbeat :optional
-- params: worker_id bigint
-- columns: id bigint
-- No row: the worker was declared dead (its jobs were rescued).
UPDATE workers SET heartbeat_at = now() WHERE id = @worker_id AND dead_at IS NULL RETURNING id
