-- $1: a JSON array of hostnames; each keeps its $2 newest records.
DELETE FROM device_config_history
WHERE id IN (
    SELECT old.id
    FROM json_array_elements_text($1::json) AS t(hostname)
    CROSS JOIN LATERAL (
        SELECT h.id FROM device_config_history h
        WHERE h.hostname = t.hostname
        ORDER BY h.id DESC
        OFFSET $2
    ) old
)
