-- name: get :optional
-- params: id bigint
-- columns: document text
-- The job as the API shows it (view job_documents).
SELECT document FROM job_documents WHERE id = @id
