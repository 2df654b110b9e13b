-- Texts a job made for a device that are not what the device ran: the config
-- it generated, and a diff too large for the job's result (tasks/sync_texts.h).
-- The job's result names them by id instead of holding them (issue 16).
--
-- Not config history with a source 'generated': every reader of that history
-- (the configs list and its diffs, previous_config, confhash, backup's
-- "newest record" check, the per-device pruning to 200 records) takes a record
-- for a config a device ran; a generated config was never on the device, and
-- a dry run would push real records out. The texts themselves are stored once,
-- in device_config_texts, beside history's (its sweep keeps what these use).
-- A job's texts go with the job (the cleaner deletes old jobs).
CREATE TABLE job_device_texts (
    id           bigserial PRIMARY KEY,
    job_id       bigint NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    hostname     text NOT NULL,
    kind         text NOT NULL CHECK (kind IN ('generated', 'diff')),
    text_sha256  text NOT NULL REFERENCES device_config_texts (sha256)
);
CREATE INDEX job_device_texts_job_idx ON job_device_texts (job_id);
CREATE INDEX job_device_texts_text_idx ON job_device_texts (text_sha256);
