DELETE FROM job_locks WHERE name = $1 RETURNING name, job_id
