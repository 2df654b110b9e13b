-- Which of the queues $1 (text[]) have due jobs waiting.
SELECT q FROM unnest($1::text[]) AS q
WHERE EXISTS (SELECT 1 FROM jobs WHERE status = 'SCHEDULED' AND queue = q AND scheduled_time <= now())
