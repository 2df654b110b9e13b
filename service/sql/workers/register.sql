-- name: register_worker :one
-- params: hostname text, pid integer, lease_seconds integer
-- columns: id bigint
INSERT INTO workers (hostname, pid, lease_seconds) VALUES (@hostname, @pid, @lease_seconds) RETURNING id
