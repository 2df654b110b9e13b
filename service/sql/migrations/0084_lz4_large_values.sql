-- The large values Switchyard writes are compressed with lz4 rather than
-- PostgreSQL's default pglz (issue 16). A dry run of 1,000 devices with
-- 2,000-line configs writes about 130 MB of config texts and diffs; pglz
-- compressing them was the store's largest cost (pglz_compress, a quarter of
-- PostgreSQL's CPU in the sync bench), and the store shares the machine's
-- cores with the devices' sessions. lz4 compresses several times faster and
-- decompresses faster too (GET /job reads a whole result), for a little less
-- compression (the 1,000-device dry run's result: 0.9 MB stored against 0.7).
-- Measured on PostgreSQL 15 on 2 cores: 1,000 inserts of a 123 KB config took
-- 1.55-1.75 s with pglz and 0.46-0.74 s with lz4 (20 MB stored against 28).
--
-- Only new values are written with lz4: existing ones keep pglz and are read
-- as before, so no table is rewritten. A server built without lz4 (Debian's
-- PostgreSQL has it) keeps pglz: the change is a speed-up, not a need.
DO $$
DECLARE
    c record;
BEGIN
    FOR c IN SELECT * FROM (VALUES ('device_config_texts', 'config'),
                                   ('device_change_journal', 'config_before'),
                                   ('device_change_journal', 'intended'),
                                   ('jobs', 'result'),
                                   ('job_result_parts', 'part')) AS v(tab, col)
    LOOP
        BEGIN
            EXECUTE format('ALTER TABLE %I ALTER COLUMN %I SET COMPRESSION lz4', c.tab, c.col);
        EXCEPTION WHEN feature_not_supported THEN
            RAISE NOTICE 'lz4 is not available on this server: %.% keeps pglz', c.tab, c.col;
        END;
    END LOOP;
END
$$;
