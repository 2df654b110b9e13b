-- name: due_queues :many
-- params: queues text[]
-- columns: queue text
-- Which of @queues have due jobs waiting.
SELECT q AS queue FROM unnest(@queues::text[]) AS q
WHERE EXISTS (SELECT 1 FROM jobs WHERE status = 'SCHEDULED' AND queue = q AND scheduled_time <= now())
