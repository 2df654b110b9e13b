-- name: applied :optional
-- params: version integer
-- columns: version integer
SELECT version FROM schema_migrations WHERE version = @version
