-- name: owned_running :many
-- params: worker_id bigint, min_age_seconds float8
-- columns: id bigint, attempt integer
-- Jobs the database says worker @worker_id runs, claimed more than @min_age_seconds seconds ago.
SELECT id, attempt FROM jobs
WHERE worker_id = @worker_id AND status IN ('RUNNING', 'ABORTING') AND start_time < now() - make_interval(secs => @min_age_seconds)
