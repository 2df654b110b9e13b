-- Abort job $1 for $3 because of $2: SCHEDULED ends ABORTED at once, RUNNING
-- becomes ABORTING and its task stops at its next abort check. Returns the
-- status before and after; no row when the job does not exist.
WITH before AS (
    SELECT id, status FROM jobs WHERE id = $1 FOR UPDATE
), changed AS (
    UPDATE jobs j
    SET status       = CASE b.status WHEN 'SCHEDULED' THEN 'ABORTED' ELSE 'ABORTING' END,
        finish_time  = CASE b.status WHEN 'SCHEDULED' THEN now() ELSE NULL END,
        result       = CASE b.status WHEN 'SCHEDULED'
                           THEN jsonb_build_object('message', 'Job aborted: ' || $2::text, 'aborted_by', $3::text)
                           ELSE j.result END,
        abort_reason = $2::text,
        aborted_by   = $3::text
    FROM before b
    WHERE j.id = b.id AND b.status IN ('SCHEDULED', 'RUNNING')
    RETURNING j.id, j.status
)
SELECT b.status, coalesce(c.status, b.status) FROM before b LEFT JOIN changed c ON c.id = b.id
