-- name: remove :exec
-- params: id bigint
DELETE FROM schedules WHERE id = @id
