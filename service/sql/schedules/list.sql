-- name: list :many
-- columns: document text
SELECT document FROM schedule_documents ORDER BY id
