-- name: workers_alive :one
-- columns: workers bigint
SELECT count(*) AS workers FROM workers WHERE dead_at IS NULL
