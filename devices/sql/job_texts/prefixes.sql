-- name: prefixes :many
-- params: job_id bigint, ids bigint[], chars integer
-- columns: id bigint, prefix text
-- The first @chars characters of each text of job @job_id among @ids (an id
-- of another job is not found): a compressed text is decompressed only as
-- far as that, so a job can make a cut diff's first lines again from its
-- stored whole diff without reading it (tasks/sync_texts.h).
SELECT j.id, left(t.config, @chars) AS prefix
FROM job_device_texts j
JOIN device_config_texts t ON t.sha256 = j.text_sha256
WHERE j.job_id = @job_id AND j.id = ANY (@ids)
