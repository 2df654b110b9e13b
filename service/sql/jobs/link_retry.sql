-- name: link_retry :exec
-- params: id bigint, retried_by bigint
UPDATE jobs SET retried_by = @retried_by WHERE id = @id
