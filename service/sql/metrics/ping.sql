-- name: ping :one
-- columns: ok integer
-- GET /health: the database answers.
SELECT 1 AS ok
