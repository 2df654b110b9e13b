-- Device config history (devices/config_history.h): every config a job read
-- from or pushed to a device, so the previous config can be shown and diffed.
-- Texts are stored once, addressed by the SHA-256 (hex) of the raw text; a
-- history row points at its text.
CREATE TABLE device_config_texts (
    sha256  text PRIMARY KEY,
    config  text NOT NULL
);

CREATE TABLE device_config_history (
    id           bigserial PRIMARY KEY,
    hostname     text NOT NULL REFERENCES devices (hostname) ON DELETE CASCADE,
    recorded_at  timestamptz NOT NULL DEFAULT now(),
    job_id       bigint,  -- no foreign key: the cleaner removes old jobs, the history stays
    source       text NOT NULL CHECK (source IN ('read', 'pushed')),
    confhash     text NOT NULL,  -- as devices.confhash: hash of the normalised config
    text_sha256  text NOT NULL REFERENCES device_config_texts (sha256)
);
CREATE INDEX device_config_history_hostname_idx ON device_config_history (hostname, id DESC);
-- Finds texts no row points at any more (after pruning) without a scan.
CREATE INDEX device_config_history_text_idx ON device_config_history (text_sha256);
