-- name: redeem_login_link :optional
-- params: code_sha256 text
-- columns: subject text, roles json, token_ttl_seconds integer, fresh boolean
-- Spends a one-time sign-in link: the row goes whether or not it is still
-- fresh, so a code is traded at most once (of two racing requests, one gets
-- the row).
DELETE FROM dashboard_login_links WHERE code_sha256 = @code_sha256::text
RETURNING subject, array_to_json(roles) AS roles, token_ttl_seconds, expires_at > now() AS fresh
