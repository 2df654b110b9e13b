-- name: retire :exec
-- params: worker_id bigint, reason text
UPDATE workers SET dead_at = now(), dead_reason = @reason WHERE id = @worker_id AND dead_at IS NULL
