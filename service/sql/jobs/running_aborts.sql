-- Jobs of worker $1 whose abort was asked for.
SELECT id, coalesce(abort_reason, 'aborted') FROM jobs WHERE worker_id = $1 AND status = 'ABORTING'
