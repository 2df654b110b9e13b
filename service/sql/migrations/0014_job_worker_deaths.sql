-- How many times a worker died (or lost its lease) while running the job. The
-- rescuer gives up on a job whose workers died twice, whatever its attempts
-- and retry safety: such a job may be what kills them (a crash in the task).
ALTER TABLE jobs ADD COLUMN worker_deaths smallint NOT NULL DEFAULT 0;

-- A worker that stopped on purpose (SIGTERM) and left jobs behind that would
-- not stop did not die: those jobs do not count it as a death.
ALTER TABLE workers ADD COLUMN retired boolean NOT NULL DEFAULT false;
