-- name: mark_dead :many
-- columns: id bigint, hostname text, pid integer
-- Workers whose heartbeat is older than their lease are dead. Not within one
-- lease of the database's own start: after a PostgreSQL restart live workers
-- need a moment to reconnect and heartbeat again.
UPDATE workers
SET dead_at = now(), dead_reason = 'no heartbeat for ' || round(extract(epoch FROM now() - heartbeat_at)) || ' s'
WHERE dead_at IS NULL
  AND heartbeat_at < now() - make_interval(secs => lease_seconds)
  AND pg_postmaster_start_time() < now() - make_interval(secs => lease_seconds)
RETURNING id, hostname, pid
