-- name: resign :exec
-- params: role text, worker_id bigint
DELETE FROM leaders WHERE name = @role AND worker_id = @worker_id
