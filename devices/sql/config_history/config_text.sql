-- name: config_text :optional
-- params: hostname text, id bigint
-- columns: config text
SELECT t.config
FROM device_config_history h
JOIN device_config_texts t ON t.sha256 = h.text_sha256
WHERE h.hostname = @hostname AND h.id = @id
