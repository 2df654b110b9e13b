-- name: disown :exec
-- params: id bigint, attempt integer, worker_id bigint
-- Hand job @id (attempt @attempt) of worker @worker_id to the rescuer: its claim committed
-- but the reply never reached the worker (the connection broke in between).
UPDATE jobs SET worker_id = NULL WHERE id = @id AND attempt = @attempt AND worker_id = @worker_id AND status IN ('RUNNING', 'ABORTING')
