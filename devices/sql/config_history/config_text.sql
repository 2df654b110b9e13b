-- $1 hostname, $2 id.
SELECT t.config
FROM device_config_history h
JOIN device_config_texts t ON t.sha256 = h.text_sha256
WHERE h.hostname = $1 AND h.id = $2
