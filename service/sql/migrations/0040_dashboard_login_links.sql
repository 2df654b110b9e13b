-- One-time sign-in links for the dashboard (`switchyard token --link`). A row
-- holds the SHA-256 of a random code (never the code, never a token), what
-- the token handed out for it will say, and until when it may be traded.
-- Trading it deletes the row, so a link works once.
CREATE TABLE dashboard_login_links (
    code_sha256        text PRIMARY KEY CHECK (code_sha256 ~ '^[0-9a-f]{64}$'),
    subject            text NOT NULL CHECK (subject <> ''),
    roles              text[] NOT NULL CHECK (cardinality(roles) > 0 AND roles <@ ARRAY['read', 'operator', 'admin']),
    token_ttl_seconds  integer NOT NULL CHECK (token_ttl_seconds > 0),
    created_at         timestamptz NOT NULL DEFAULT now(),
    expires_at         timestamptz NOT NULL
);
