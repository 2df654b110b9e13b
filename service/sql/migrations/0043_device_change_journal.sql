-- The change journal (issue 10 item 1; DESIGN.md "Crash safety"): before a
-- live sync touches a device it writes what the device ran and what it is
-- about to get; the row follows each phase of the change and closes when the
-- device is verified or restored. A job that ends abnormally with open rows
-- gets a recovery job (tasks/recover_devices.cpp) that brings each device
-- back to a whole state. Configs may hold secrets: nothing in the API reads
-- this table.
CREATE TABLE device_change_journal (
    id             bigserial PRIMARY KEY,
    -- The attempt that answers for the change now: the sync that made it,
    -- then the confirm_devices or recovery job that adopted it.
    job_id         bigint NOT NULL,
    attempt        integer NOT NULL,
    sync_job_id    bigint NOT NULL,   -- the live sync that made the change
    hostname       text NOT NULL,
    config_before  text NOT NULL,     -- the running config before the change
    intended       text NOT NULL,     -- the config the change brings
    phase          text NOT NULL CHECK (phase IN ('pushing', 'committed', 'awaiting_confirm',
                                                  'verified', 'restored', 'completed', 'failed', 'unreachable')),
    opened_at      timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    closed_at      timestamptz,
    CHECK ((closed_at IS NULL) = (phase IN ('pushing', 'committed', 'awaiting_confirm')))
);
-- What a job left open: asked in the transaction that ends it.
CREATE INDEX device_change_journal_open ON device_change_journal (job_id) WHERE closed_at IS NULL;
-- Closed rows are pruned after a while (devices/sql/change_journal/prune.sql).
CREATE INDEX device_change_journal_closed ON device_change_journal (closed_at) WHERE closed_at IS NOT NULL;
