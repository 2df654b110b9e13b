-- name: note_recovery_failure :exec
-- params: id bigint, error text
-- Job @id ended abnormally and its recovery job could not be inserted: its
-- result says so (@error, masked), so that an operator reading the job learns
-- that the devices it was changing may be half configured and nobody repairs
-- them (in the transaction that ends it).
UPDATE jobs
SET result = (CASE WHEN jsonb_typeof(result) = 'object' THEN result ELSE '{}'::jsonb END)
             || jsonb_build_object('recovery_error', @error::text)
WHERE id = @id
