-- name: get :optional
-- params: id bigint
-- columns: document text
-- A schedule as the API shows it.
SELECT document FROM schedule_documents WHERE id = @id
