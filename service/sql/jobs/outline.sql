-- name: outline :optional
-- params: id bigint
-- columns: outline text, devices bigint
-- Job @id's document without its result's devices (view job_documents), and
-- how many devices its result holds: GET /job/<id> of an ended job reads
-- them apart, a batch at a time (result_devices.sql).
SELECT v.outline,
       (SELECT count(*) FROM jsonb_object_keys(CASE WHEN jsonb_typeof(j.result -> 'devices') = 'object'
                                                    THEN j.result -> 'devices' ELSE '{}'::jsonb END)) AS devices
FROM job_documents v JOIN jobs j ON j.id = v.id
WHERE v.id = @id
