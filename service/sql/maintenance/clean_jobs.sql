-- name: clean_jobs :exec
-- params: status text, retention_hours integer, batch bigint
-- Delete at most @batch jobs in @status that ended more than @retention_hours hours ago.
DELETE FROM jobs WHERE id IN (
    SELECT id FROM jobs WHERE status = @status AND finish_time < now() - make_interval(hours => @retention_hours) LIMIT @batch)
