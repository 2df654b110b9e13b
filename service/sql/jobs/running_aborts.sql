-- name: running_aborts :many
-- params: worker_id bigint
-- columns: id bigint, reason text
-- Jobs of worker @worker_id whose abort was asked for.
SELECT id, coalesce(abort_reason, 'aborted') AS reason FROM jobs WHERE worker_id = @worker_id AND status = 'ABORTING'
