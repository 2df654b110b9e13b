-- The commit each templates or settings repository renders from
-- (service/repositories.h): written by a refresh that rendered every
-- managed device, read when a sync job is scheduled (the job records it)
-- and by jobs that recorded none. One row per repository, shared by every
-- serve on this database.
CREATE TABLE repository_commits (
    name          text PRIMARY KEY CHECK (name IN ('templates', 'settings')),
    commit_sha    text NOT NULL CHECK (commit_sha ~ '^[0-9a-f]{40}$'),
    description   text NOT NULL,
    refreshed_by  text NOT NULL,
    refreshed_at  timestamptz NOT NULL DEFAULT now()
);
