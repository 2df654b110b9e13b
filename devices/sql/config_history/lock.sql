-- name: lock :exec
-- Taken first by record() and by the sweep of unused texts: they take turns for the
-- length of one transaction, so sweeping unused texts never races an insert
-- that relies on a text being there. The key is "SYCH".
SELECT pg_advisory_xact_lock(1398358856)
