-- name: cancel_scheduled :optional
-- params: id bigint, reason text, aborted_by text
-- columns: id bigint
-- A job scheduled for later that nothing needs any more (a confirm timer
-- whose change was confirmed) ends ABORTED, as an abort of a SCHEDULED job
-- does (abort.sql). A job already claimed is left alone: unlike an abort,
-- this never asks a running job to stop. No row: it was not SCHEDULED.
UPDATE jobs
SET status = 'ABORTED', finish_time = now(),
    result = jsonb_build_object('message', 'Job aborted: ' || @reason::text, 'aborted_by', @aborted_by::text),
    abort_reason = @reason::text, aborted_by = @aborted_by::text
WHERE id = @id AND status = 'SCHEDULED'
RETURNING id
