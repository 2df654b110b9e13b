UPDATE workers SET dead_at = now(), dead_reason = $2 WHERE id = $1 AND dead_at IS NULL
