-- name: upsert :one
-- params: hostname text, management_ip inet, port integer, platform text, device_type text, state text,
--         groups text[]
-- columns: inserted boolean
INSERT INTO devices (hostname, management_ip, port, platform, device_type, state, groups)
VALUES (@hostname, @management_ip::inet, @port, @platform, @device_type, @state, @groups::text[])
ON CONFLICT (hostname) DO UPDATE SET
    management_ip = EXCLUDED.management_ip,
    port          = EXCLUDED.port,
    platform      = EXCLUDED.platform,
    device_type   = EXCLUDED.device_type,
    state         = EXCLUDED.state,
    groups        = EXCLUDED.groups,
    -- Moving a device or changing its platform means what we knew of its
    -- config no longer holds.
    synchronized  = devices.synchronized AND devices.management_ip = EXCLUDED.management_ip
                    AND devices.platform = EXCLUDED.platform,
    updated_time  = now()
RETURNING (xmax = 0) AS inserted
