-- name: suspend_self :exec
-- params: id bigint, attempt integer, by text
-- A running attempt suspends itself (a rollout's pause_after_first) as an
-- operator's SUSPEND would: an operator's RESUME ends it.
UPDATE jobs SET suspend_requested = true, suspended_by = @by::text
WHERE id = @id AND attempt = @attempt AND status = 'RUNNING'
