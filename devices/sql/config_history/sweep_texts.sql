-- name: sweep_texts :exec
-- Texts no record points at any more: pruned, or their device was deleted.
DELETE FROM device_config_texts t
WHERE NOT EXISTS (SELECT 1 FROM device_config_history h WHERE h.text_sha256 = t.sha256)
