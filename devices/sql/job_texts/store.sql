-- name: store :many
-- params: job_id bigint, entries json
-- columns: id bigint, hostname text, kind text
-- @entries: a JSON array of {hostname, kind, text}, at most one per hostname
-- and kind. A text is stored once, under the SHA-256 of the text, as config
-- history stores its own (run after config_history/lock.sql, so the sweep of
-- unused texts never races this insert).
WITH input AS (
    SELECT e.hostname, e.kind, e.text, encode(sha256(convert_to(e.text, 'UTF8')), 'hex') AS text_sha256
    FROM json_to_recordset(@entries::json) AS e(hostname text, kind text, text text)
), texts AS (
    INSERT INTO device_config_texts (sha256, config)
    SELECT DISTINCT ON (text_sha256) text_sha256, text FROM input
    ON CONFLICT (sha256) DO NOTHING
)
INSERT INTO job_device_texts (job_id, hostname, kind, text_sha256)
SELECT @job_id, hostname, kind, text_sha256 FROM input
RETURNING id, hostname, kind
