DELETE FROM device_host_keys WHERE hostname = $1
