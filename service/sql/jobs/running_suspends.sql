-- name: running_suspends :many
-- params: worker_id bigint
-- columns: id bigint
-- Running jobs of worker @worker_id an operator asked to suspend (and has not resumed).
SELECT id FROM jobs WHERE worker_id = @worker_id AND status = 'RUNNING' AND suspend_requested
