-- name: abort_job :optional
-- params: id bigint, reason text, aborted_by text
-- columns: before text, after text, attempt integer, scheduled_by text?
-- Abort job @id for @aborted_by because of @reason: SCHEDULED ends ABORTED at once, RUNNING
-- becomes ABORTING and its task stops at its next abort check. Returns the
-- status before and after, the attempt and who scheduled it (a recovery an
-- ABORTED job needs is scheduled by the caller, engine/recovery.h); no row
-- when the job does not exist.
WITH before AS (
    SELECT id, status, attempt, scheduled_by FROM jobs WHERE id = @id FOR UPDATE
), changed AS (
    UPDATE jobs j
    SET status       = CASE b.status WHEN 'SCHEDULED' THEN 'ABORTED' ELSE 'ABORTING' END,
        finish_time  = CASE b.status WHEN 'SCHEDULED' THEN now() ELSE NULL END,
        result       = CASE b.status WHEN 'SCHEDULED'
                           THEN jsonb_build_object('message', 'Job aborted: ' || @reason::text, 'aborted_by', @aborted_by::text)
                           ELSE j.result END,
        abort_reason = @reason::text,
        aborted_by   = @aborted_by::text
    FROM before b
    WHERE j.id = b.id AND b.status IN ('SCHEDULED', 'RUNNING')
    RETURNING j.id, j.status
)
SELECT b.status AS before, coalesce(c.status, b.status) AS after, b.attempt, b.scheduled_by
FROM before b LEFT JOIN changed c ON c.id = b.id
