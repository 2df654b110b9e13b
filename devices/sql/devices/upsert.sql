-- $7 is a JSON array of group names (libpqxx 6 has no array parameters).
INSERT INTO devices (hostname, management_ip, port, platform, device_type, state, groups)
VALUES ($1, $2::inet, $3, $4, $5, $6, ARRAY(SELECT jsonb_array_elements_text($7::jsonb)))
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
