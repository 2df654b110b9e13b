SELECT key_type, public_key, fingerprint FROM device_host_keys WHERE hostname = $1
