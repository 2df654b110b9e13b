-- Become (or stay) leader of role $1 as worker $2 for $3 seconds. A row comes
-- back only when worker $2 is the leader afterwards.
INSERT INTO leaders AS l (name, worker_id, elected_at, expires_at)
VALUES ($1, $2, now(), now() + make_interval(secs => $3))
ON CONFLICT (name) DO UPDATE
    SET worker_id  = EXCLUDED.worker_id,
        elected_at = CASE WHEN l.worker_id = EXCLUDED.worker_id THEN l.elected_at ELSE now() END,
        expires_at = EXCLUDED.expires_at
    WHERE l.worker_id = EXCLUDED.worker_id OR l.expires_at < now()
RETURNING worker_id
