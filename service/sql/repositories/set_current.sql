-- name: set_current :exec
-- params: name text, commit_sha text, description text, refreshed_by text
-- Repository @name renders from @commit_sha from now on.
INSERT INTO repository_commits (name, commit_sha, description, refreshed_by)
VALUES (@name::text, @commit_sha::text, @description::text, @refreshed_by::text)
ON CONFLICT (name) DO UPDATE
SET commit_sha = EXCLUDED.commit_sha, description = EXCLUDED.description,
    refreshed_by = EXCLUDED.refreshed_by, refreshed_at = now()
