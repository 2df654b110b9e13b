-- name: find_by_key :optional
-- params: idempotency_key text
-- columns: id bigint
SELECT id FROM jobs WHERE idempotency_key = @idempotency_key
