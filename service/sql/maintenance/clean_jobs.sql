-- Delete at most $3 jobs in status $1 that ended more than $2 hours ago.
DELETE FROM jobs WHERE id IN (
    SELECT id FROM jobs WHERE status = $1 AND finish_time < now() - make_interval(hours => $2) LIMIT $3)
