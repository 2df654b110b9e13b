-- name: create_login_link :exec
-- params: code_sha256 text, subject text, roles text[], token_ttl_seconds integer, link_ttl_seconds integer
-- A new one-time sign-in link (the SHA-256 of its code, what the token traded
-- for it will say), valid for @link_ttl_seconds; links expired for a day are
-- swept on the way.
WITH swept AS (
    DELETE FROM dashboard_login_links WHERE expires_at < now() - interval '1 day'
)
INSERT INTO dashboard_login_links (code_sha256, subject, roles, token_ttl_seconds, expires_at)
VALUES (@code_sha256::text, @subject::text, @roles::text[], @token_ttl_seconds::integer,
        now() + make_interval(secs => @link_ttl_seconds::integer))
