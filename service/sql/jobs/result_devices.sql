-- name: result_devices :many
-- params: id bigint, attempt integer, after text?, limit bigint
-- columns: hostname text, entry text
-- The next @limit devices of job @id's result (result.devices), by hostname
-- in byte order after @after (from the first when NULL), each entry as JSON,
-- while the job is at attempt @attempt. GET /job/<id> reads an ended job's
-- devices a batch at a time, each batch in its own transaction: an ended
-- attempt's devices never change (complete.sql and maintenance/rescue.sql
-- write them as the attempt ends; name_recovery.sql and
-- note_recovery_failure.sql add keys beside them), so the batches make one
-- result. A job deleted meanwhile returns fewer rows than the outline
-- counted, and the reader says so.
--
-- result.devices is read once (each reference to it reads the whole result
-- again: about 150 ms for 14 MB). It is an object: the outline counted its
-- devices, and the attempt's devices have not changed since; the scan's
-- conditions on id and attempt hold before jsonb_each sees any row.
SELECT e.key AS hostname, e.value::text AS entry
FROM jobs j
     CROSS JOIN LATERAL jsonb_each(j.result -> 'devices') AS e(key, value)
WHERE j.id = @id AND j.attempt = @attempt AND (@after::text IS NULL OR e.key COLLATE "C" > @after::text)
ORDER BY e.key COLLATE "C"
LIMIT @limit
