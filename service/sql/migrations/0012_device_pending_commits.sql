-- Commits made with a confirm timer (confirm_mode 2) waiting for the
-- confirm_devices job. The previous config is kept for devices without a
-- timer of their own (frr), which Switchyard rolls back itself; it may hold
-- secrets, so nothing in the API reads this table.
CREATE TABLE device_pending_commits (
    hostname           text PRIMARY KEY REFERENCES devices ON DELETE CASCADE,
    job_id             bigint NOT NULL,      -- the sync job that committed
    pending            jsonb NOT NULL,       -- devices::PendingCommit
    intended_confhash  text NOT NULL,        -- what the device must run once confirmed
    committed_at       timestamptz NOT NULL DEFAULT now(),
    deadline           timestamptz NOT NULL  -- the timer runs out
);
