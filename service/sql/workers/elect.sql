-- name: elect :optional
-- params: role text, worker_id bigint, lease_seconds float8
-- columns: worker_id bigint
-- Become (or stay) leader of @role as worker @worker_id for @lease_seconds. A
-- row comes back only when worker @worker_id is the leader afterwards.
INSERT INTO leaders AS l (name, worker_id, elected_at, expires_at)
VALUES (@role, @worker_id, now(), now() + make_interval(secs => @lease_seconds))
ON CONFLICT (name) DO UPDATE
    SET worker_id  = EXCLUDED.worker_id,
        elected_at = CASE WHEN l.worker_id = EXCLUDED.worker_id THEN l.elected_at ELSE now() END,
        expires_at = EXCLUDED.expires_at
    WHERE l.worker_id = EXCLUDED.worker_id OR l.expires_at < now()
RETURNING worker_id
