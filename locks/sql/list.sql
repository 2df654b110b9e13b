SELECT name, job_id, to_json(start_time)#>>'{}' AS start_time, abort FROM job_locks ORDER BY name
