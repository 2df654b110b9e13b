SELECT hostname, host(management_ip), port, platform, device_type, state, synchronized,
       coalesce(confhash, ''), extract(epoch FROM last_seen)::float8, array_to_json(groups)::text
FROM devices
ORDER BY hostname
