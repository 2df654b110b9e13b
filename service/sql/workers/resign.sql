DELETE FROM leaders WHERE name = $1 AND worker_id = $2
