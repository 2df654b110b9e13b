-- name: lock_ages :many
-- columns: name text, held_seconds text
-- How long each held lock has been held (seconds as PostgreSQL prints them).
SELECT name, extract(epoch FROM now() - start_time)::text AS held_seconds FROM job_locks ORDER BY 1
