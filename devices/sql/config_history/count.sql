SELECT count(*) FROM device_config_history WHERE hostname = $1
