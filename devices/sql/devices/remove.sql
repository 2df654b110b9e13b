-- name: remove :exec
-- params: hostname text
DELETE FROM devices WHERE hostname = @hostname
