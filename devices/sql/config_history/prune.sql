-- name: prune :exec
-- params: hostnames json, keep bigint
-- Each device of @hostnames (a JSON array) keeps its @keep newest records.
DELETE FROM device_config_history
WHERE id IN (
    SELECT old.id
    FROM json_array_elements_text(@hostnames::json) AS t(hostname)
    CROSS JOIN LATERAL (
        SELECT h.id FROM device_config_history h
        WHERE h.hostname = t.hostname
        ORDER BY h.id DESC
        OFFSET @keep
    ) old
)
