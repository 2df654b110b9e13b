-- name: restore_source :optional
-- params: hostname text, id bigint
-- columns: config text, platform text?
-- Record @id of device @hostname as apply_config restores it: its text and
-- the platform the device had when it was recorded (NULL: not known).
SELECT t.config, h.platform
FROM device_config_history h
JOIN device_config_texts t ON t.sha256 = h.text_sha256
WHERE h.hostname = @hostname AND h.id = @id
