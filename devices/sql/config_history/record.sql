-- name: record :exec
-- params: entries json
-- @entries: a JSON array of {hostname, config, job_id, source, confhash}, oldest
-- first (ids follow that order), each with its device's platform now. A text is stored once, under the SHA-256 of
-- the text itself. Entries for devices no longer in the inventory (deleted
-- while the job ran) are skipped; KEY SHARE keeps the others until commit.
WITH input AS (
    SELECT e.ord, e.hostname, e.config, e.job_id, e.source, e.confhash, d.platform,
           encode(sha256(convert_to(e.config, 'UTF8')), 'hex') AS text_sha256
    FROM ROWS FROM (json_to_recordset(@entries::json)
                    AS (hostname text, config text, job_id bigint, source text, confhash text))
         WITH ORDINALITY AS e(hostname, config, job_id, source, confhash, ord)
    JOIN devices d ON d.hostname = e.hostname
    FOR KEY SHARE OF d
), texts AS (
    INSERT INTO device_config_texts (sha256, config)
    SELECT DISTINCT ON (text_sha256) text_sha256, config FROM input
    ON CONFLICT (sha256) DO NOTHING
)
INSERT INTO device_config_history (hostname, job_id, source, confhash, text_sha256, platform)
SELECT hostname, job_id, source, confhash, text_sha256, platform FROM input ORDER BY ord
