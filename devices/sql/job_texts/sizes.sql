-- name: sizes :many
-- params: job_id bigint, ids bigint[]
-- columns: id bigint, bytes bigint
-- The size in bytes of each text of job @job_id among @ids (an id of another
-- job is not found), without reading the texts: octet_length of a stored
-- text is read from its TOAST header, so a reader can plan batches of a
-- bounded size before it fetches any (service/api/job_document_stream.cpp).
SELECT j.id, octet_length(t.config)::bigint AS bytes
FROM job_device_texts j
JOIN device_config_texts t ON t.sha256 = j.text_sha256
WHERE j.job_id = @job_id AND j.id = ANY (@ids)
