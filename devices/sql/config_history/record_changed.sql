-- name: record_changed :optional
-- params: hostname text, config text, job_id bigint?, source text, confhash text
-- columns: id bigint, stored boolean
-- One config of a device, recorded unless the device's newest record has the
-- same confhash (a backup that found nothing new): the id of the record that
-- holds the config now, and whether this statement made it. No row when the
-- device is not in the inventory. Run after lock.sql, so no other record
-- comes between the look at the newest one and the insert.
WITH device AS (
    SELECT d.hostname, d.platform FROM devices d WHERE d.hostname = @hostname::text FOR KEY SHARE
), newest AS (
    SELECT h.id, h.confhash FROM device_config_history h
    WHERE h.hostname = @hostname::text
    ORDER BY h.id DESC
    LIMIT 1
), changed AS (
    SELECT device.hostname, device.platform, encode(sha256(convert_to(@config::text, 'UTF8')), 'hex') AS text_sha256
    FROM device
    WHERE NOT EXISTS (SELECT 1 FROM newest WHERE newest.confhash = @confhash::text)
), texts AS (
    INSERT INTO device_config_texts (sha256, config)
    SELECT text_sha256, @config::text FROM changed
    ON CONFLICT (sha256) DO NOTHING
), inserted AS (
    INSERT INTO device_config_history (hostname, job_id, source, confhash, text_sha256, platform)
    SELECT hostname, @job_id::bigint, @source::text, @confhash::text, text_sha256, platform FROM changed
    RETURNING id
)
SELECT coalesce((SELECT id FROM inserted), (SELECT id FROM newest)) AS id,
       EXISTS (SELECT 1 FROM inserted) AS stored
FROM device
