-- Confirmed or rolled back: nothing pending any more.
DELETE FROM device_pending_commits WHERE hostname = $1 AND job_id = $2
