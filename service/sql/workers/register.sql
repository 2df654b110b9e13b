INSERT INTO workers (hostname, pid, lease_seconds) VALUES ($1, $2, $3) RETURNING id
