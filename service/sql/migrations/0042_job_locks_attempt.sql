-- Locks carry the attempt that took them (issue 10): two attempts of one job
-- never share a lock, and a holder proves before each device change that this
-- attempt still holds them (jobs/fence.sql). Rows taken before this migration
-- belong to the attempt their job runs now; a row written by hand without an
-- attempt belongs to its job's first.
ALTER TABLE job_locks ADD COLUMN attempt integer NOT NULL DEFAULT 1;
UPDATE job_locks l SET attempt = j.attempt FROM jobs j WHERE j.id = l.job_id AND j.attempt > 1;

-- Whether a lock row still binds: the attempt that holds it is running, or
-- the lock was handed to a job that has not started yet (a next_job_id
-- follow-up, a retry the rescuer scheduled) and names the attempt that job
-- runs next. Every statement that takes over or releases a lock asks this.
CREATE FUNCTION job_lock_is_live(lock_job_id bigint, lock_attempt integer) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM jobs j
                   WHERE j.id = lock_job_id
                     AND ((j.status IN ('RUNNING', 'ABORTING') AND j.attempt = lock_attempt)
                          OR (j.status = 'SCHEDULED' AND j.attempt + 1 = lock_attempt)))
$$;
