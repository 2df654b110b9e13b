-- name: documents :many
-- params: ids bigint[]
-- columns: id bigint, row_version bigint, document text_shared
-- The documents of the jobs @ids (view job_documents), with the row version
-- each was built from: what GET /jobs did not find in its cache of ended jobs,
-- read in the page's own snapshot. Each is kept as read, without a copy
-- (sqlgen::SharedText), so the page reads one job per statement.
SELECT id, row_version, document FROM job_documents WHERE id = ANY (@ids::bigint[])
