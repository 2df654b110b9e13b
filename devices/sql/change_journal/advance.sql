-- name: advance :exec
-- params: id bigint, phase text
-- The change @id reached @phase; a closing phase closes it. A closed row
-- stays closed.
UPDATE device_change_journal
SET phase = @phase, updated_at = now(),
    closed_at = CASE WHEN @phase IN ('pushing', 'committed', 'awaiting_confirm') THEN NULL ELSE now() END
WHERE id = @id AND closed_at IS NULL
