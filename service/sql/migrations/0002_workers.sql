-- Worker processes and their leases. A worker heartbeats; one whose
-- heartbeat is older than its lease is dead (dead_at set by the rescuer) and
-- its running jobs are rescued.
CREATE TABLE workers (
    id            bigserial PRIMARY KEY,
    hostname      text NOT NULL,
    pid           integer NOT NULL,
    started_at    timestamptz NOT NULL DEFAULT now(),
    heartbeat_at  timestamptz NOT NULL DEFAULT now(),
    lease_seconds integer NOT NULL CHECK (lease_seconds > 0),
    dead_at       timestamptz,
    dead_reason   text
);

-- Leader election for the maintenance services: one row per role, held by a
-- worker until expires_at unless renewed.
CREATE TABLE leaders (
    name       text PRIMARY KEY,
    worker_id  bigint NOT NULL,
    elected_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL
);
