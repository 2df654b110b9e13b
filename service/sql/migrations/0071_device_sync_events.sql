-- Why each device became unsynchronized: CNaaS-NMS's sync history
-- (src/cnaas_nms/devicehandler/sync_history.py, kept in redis there), read by
-- GET /device_synchistory. A device's events go when it is synchronized
-- again, whichever path marks it so (a sync, a confirm, PUT /device), as
-- CNaaS-NMS's remove_sync_events does: a trigger, so no path can forget.
CREATE TABLE device_sync_events (
    id        bigserial PRIMARY KEY,
    hostname  text NOT NULL REFERENCES devices (hostname) ON DELETE CASCADE ON UPDATE CASCADE,
    cause     text NOT NULL CHECK (cause <> '' AND length(cause) <= 255),
    at        timestamptz NOT NULL DEFAULT now(),
    by        text NOT NULL,
    job_id    bigint
);
CREATE INDEX device_sync_events_hostname ON device_sync_events (hostname, id);

CREATE FUNCTION switchyard_device_synchronized() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM device_sync_events WHERE hostname = NEW.hostname;
    RETURN NULL;
END $$;

CREATE TRIGGER devices_synchronized AFTER UPDATE OF synchronized ON devices
FOR EACH ROW WHEN (NEW.synchronized) EXECUTE FUNCTION switchyard_device_synchronized();
