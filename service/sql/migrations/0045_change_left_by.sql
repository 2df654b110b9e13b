-- Whether job @job leaves change @c to a recovery as it ends: it answers
-- for the change; or the change was handed to it (it is the next_job_id of
-- the job that answers for it, a confirm or a recovery) and it never
-- adopted it; or it is the change's confirm timer job
-- (roll_back_unconfirmed) and did not take it. The engine asks
-- open_for_job.sql whether an ending job needs a recovery, and the recovery
-- adopts with adopt_disarming.sql (devices/sql/change_journal/): both ask
-- this one function, so that a recovery scheduled always finds what it was
-- scheduled for. Open changes only are asked about (the callers' partial
-- index on closed_at IS NULL).
CREATE FUNCTION change_left_by(c device_change_journal, job bigint) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT c.job_id = job
        OR coalesce(c.confirm_timer_job_id = job, false)
        OR EXISTS (SELECT 1 FROM jobs p WHERE p.id = c.job_id AND p.next_job_id = job)
$$;
