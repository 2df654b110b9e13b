-- name: set_suspend_requested :exec
-- params: id bigint, suspend boolean, by text
-- Suspend (@suspend true) or resume running job @id for @by.
UPDATE jobs SET suspend_requested = @suspend::boolean, suspended_by = @by::text WHERE id = @id AND status = 'RUNNING'
