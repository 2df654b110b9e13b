-- name: result_entries :many
-- params: id bigint
-- columns: entry text_shared
-- Each device of job @id's result (result.devices, an object: see
-- tagged_outline.sql) as the member jsonb prints: "<hostname>": <entry>, one
-- row each, so that libpq receives the devices a row at a time. In no order
-- promised (they are members of one object); jsonb_each gives them as stored.
SELECT to_json(e.key)::text || ': ' || e.value::text AS entry
FROM jobs j
     CROSS JOIN LATERAL jsonb_each(j.result -> 'devices') AS e(key, value)
WHERE j.id = @id
