-- A live sync's configs between its read and its push (issue 16): the
-- running config each device was read with and the config to push, put
-- aside once every device has been read (the drift check needs them all
-- read before any is pushed) and taken back when the device's push starts,
-- so that the job holds in memory only the devices in flight, not the fleet
-- (1,000 devices of 2,000 lines held 330 MB between the two phases).
--
-- bytea, not text: these are pushed to the device and compared with what it
-- runs, so they come back byte for byte (a NUL or invalid UTF-8 from a
-- device included), where text columns clean them.
--
-- UNLOGGED: they matter only to the attempt that wrote them. A live sync is
-- not retried once its worker is lost, and nothing here is a record of a
-- change (the change journal is, written before a device is touched). After
-- a PostgreSQL crash the table is empty; an attempt still running then
-- fails those devices before touching them, saying so. Not writing them to
-- the WAL halves what the read phase costs PostgreSQL.
CREATE UNLOGGED TABLE sync_parked_configs (
    job_id      bigint NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    hostname    text NOT NULL,
    read        bytea NOT NULL,
    intended    bytea NOT NULL,
    PRIMARY KEY (job_id, hostname)
);

DO $$
BEGIN
    ALTER TABLE sync_parked_configs ALTER COLUMN read SET COMPRESSION lz4;
    ALTER TABLE sync_parked_configs ALTER COLUMN intended SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
    RAISE NOTICE 'lz4 is not available on this server: sync_parked_configs keeps pglz';
END;
$$;
