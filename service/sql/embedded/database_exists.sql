-- name: database_exists :optional
-- params: name text
-- columns: found integer
SELECT 1 AS found FROM pg_database WHERE datname::text = @name
