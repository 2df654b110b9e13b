-- Jobs the database says worker $1 runs, claimed more than $2 seconds ago.
SELECT id, attempt FROM jobs
WHERE worker_id = $1 AND status IN ('RUNNING', 'ABORTING') AND start_time < now() - make_interval(secs => $2)
