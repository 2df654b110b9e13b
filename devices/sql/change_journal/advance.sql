-- name: advance :optional
-- params: id bigint, job_id bigint, attempt integer, phase text
-- columns: id bigint
-- The change @id reached @phase; a closing phase closes it. Only attempt
-- @attempt of job @job_id, which answers for the change, may move it (an
-- attempt whose changes a recovery adopted cannot close them); a closed row
-- stays closed. No row: nothing moved.
UPDATE device_change_journal
SET phase = @phase, updated_at = now(),
    closed_at = CASE WHEN @phase IN ('pushing', 'committed', 'awaiting_confirm') THEN NULL ELSE now() END
WHERE id = @id AND job_id = @job_id AND attempt = @attempt AND closed_at IS NULL
RETURNING id
