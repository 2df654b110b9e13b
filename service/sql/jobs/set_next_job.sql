UPDATE jobs SET next_job_id = $2 WHERE id = $1
