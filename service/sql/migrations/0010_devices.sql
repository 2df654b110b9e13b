-- Devices: the inventory Switchyard manages (devices/inventory.h), and the SSH
-- host keys first seen under the accept-new policy (devices/host_key_store.h).
CREATE TABLE devices (
    hostname       text PRIMARY KEY,
    management_ip  inet NOT NULL,
    port           integer NOT NULL DEFAULT 22 CHECK (port BETWEEN 1 AND 65535),
    platform       text NOT NULL,
    device_type    text NOT NULL DEFAULT 'UNKNOWN'
                   CHECK (device_type IN ('ACCESS', 'DIST', 'CORE', 'UNKNOWN')),
    state          text NOT NULL DEFAULT 'MANAGED' CHECK (state IN ('MANAGED', 'UNMANAGED')),
    synchronized   boolean NOT NULL DEFAULT false,
    confhash       text,
    last_seen      timestamptz,
    groups         text[] NOT NULL DEFAULT '{}',
    created_time   timestamptz NOT NULL DEFAULT now(),
    updated_time   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX devices_groups_idx ON devices USING gin (groups);
CREATE INDEX devices_device_type_idx ON devices (device_type);

-- One remembered key per device. A changed key is refused, never overwritten:
-- an operator deletes the row after checking the device was really re-keyed.
CREATE TABLE device_host_keys (
    hostname     text PRIMARY KEY,
    key_type     text NOT NULL,
    public_key   text NOT NULL,   -- base64, as in known_hosts
    fingerprint  text NOT NULL,   -- SHA256:..., as OpenSSH prints it
    first_seen   timestamptz NOT NULL DEFAULT now()
);
