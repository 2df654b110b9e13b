-- name: record :exec
-- params: version integer, name text
INSERT INTO schema_migrations (version, name) VALUES (@version, @name)
