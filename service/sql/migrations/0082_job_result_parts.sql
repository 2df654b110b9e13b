-- A job's result stored in parts while the job writes it (issue 16): a
-- 10,000-device sync's result is 13 MB of text, which the job's process held
-- whole, then again as the row that carried it to PostgreSQL, and again in
-- libpq's buffer, which keeps its largest size for the connection's life.
-- Written in parts of about 256 KB as the job builds it, the text is never
-- whole in the process; the statement that ends the attempt makes the parts
-- its result (jobs/complete.sql) and deletes every part of the job.
--
-- Parts of an attempt that never completed (its worker died) stay until the
-- job ends or the cleaner deletes it.
CREATE TABLE job_result_parts (
    job_id   bigint NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    attempt  integer NOT NULL,
    seq      integer NOT NULL CHECK (seq >= 0),
    part     text NOT NULL,
    PRIMARY KEY (job_id, attempt, seq)
);
