-- name: newest :optional
-- columns: version integer
-- The newest migration recorded, if any.
SELECT version FROM schema_migrations ORDER BY version DESC LIMIT 1
