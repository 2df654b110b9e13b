-- name: current :optional
-- params: name text
-- columns: commit_sha text, description text
-- The commit repository @name renders from, when it was ever refreshed.
SELECT commit_sha, description FROM repository_commits WHERE name = @name::text
