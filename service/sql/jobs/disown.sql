-- Hand job $1 (attempt $2) of worker $3 to the rescuer: its claim committed
-- but the reply never reached the worker (the connection broke in between).
UPDATE jobs SET worker_id = NULL WHERE id = $1 AND attempt = $2 AND worker_id = $3 AND status IN ('RUNNING', 'ABORTING')
