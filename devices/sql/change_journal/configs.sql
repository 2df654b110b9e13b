-- name: configs :optional
-- params: id bigint
-- columns: config_before text, intended text
-- The two configs of change @id, read when its device's turn comes: a
-- recovery of many devices holds only those in flight (adopt returns none).
SELECT config_before, intended
FROM device_change_journal
WHERE id = @id
