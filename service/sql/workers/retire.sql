-- name: retire :exec
-- params: worker_id bigint, reason text
-- The worker stops on purpose; @reason says why and what it left running
-- (the rescuer quotes it for each such job).
UPDATE workers SET dead_at = now(), dead_reason = @reason, retired = true WHERE id = @worker_id AND dead_at IS NULL
