-- name: selected :many
-- params: hostnames text[]?, device_type text?, group_name text?, resync boolean
-- columns: hostname text, management_ip text, port integer, platform text, device_type text, state text,
--          synchronized boolean, confhash text, last_seen_epoch float8?, groups jsonb
-- The MANAGED devices a sync selects (devices/device_selector.h): the named
-- @hostnames, or else those of @device_type, of @group_name, or all, leaving
-- out the synchronized ones unless @resync. Read as get.sql reads one.
SELECT hostname, host(management_ip) AS management_ip, port, platform, device_type, state, synchronized,
       coalesce(confhash, '') AS confhash, extract(epoch FROM last_seen)::float8 AS last_seen_epoch,
       to_jsonb(groups) AS groups
FROM devices
WHERE state = 'MANAGED'
  AND CASE WHEN @hostnames::text[] IS NOT NULL THEN hostname = ANY (@hostnames::text[])
           ELSE (@resync OR NOT synchronized)
                AND (@device_type::text IS NULL OR device_type = @device_type::text)
                AND (@group_name::text IS NULL OR @group_name::text = ANY (groups))
      END
ORDER BY hostname
