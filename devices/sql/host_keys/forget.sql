-- name: forget :exec
-- params: hostname text
DELETE FROM device_host_keys WHERE hostname = @hostname
