-- name: queue_depths :many
-- columns: queue text, due bigint
-- Due jobs waiting to be claimed, by queue.
SELECT queue, count(*) AS due FROM jobs WHERE status = 'SCHEDULED' AND scheduled_time <= now()
GROUP BY 1 ORDER BY 1
