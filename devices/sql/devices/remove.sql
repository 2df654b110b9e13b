DELETE FROM devices WHERE hostname = $1
