-- Host keys remembered under accept-new (trusted on first use) and forgotten
-- by an operator are published like job and lock changes, for /events:
--   switchyard_host_key_events  {"host_keys":[{"hostname","key_type","fingerprint","event":"trusted"|"forgotten"}]}
-- One notification per key: such changes are rare, and a row never nears
-- NOTIFY's 8,000-byte limit.
CREATE FUNCTION switchyard_host_key_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    changed device_host_keys;
BEGIN
    changed := CASE WHEN TG_OP = 'INSERT' THEN NEW ELSE OLD END;
    PERFORM pg_notify('switchyard_host_key_events', jsonb_build_object('host_keys', jsonb_build_array(
        jsonb_build_object('hostname', changed.hostname, 'key_type', changed.key_type,
                           'fingerprint', changed.fingerprint,
                           'event', CASE WHEN TG_OP = 'INSERT' THEN 'trusted' ELSE 'forgotten' END)))::text);
    RETURN NULL;
END $$;

CREATE TRIGGER device_host_key_trusted AFTER INSERT ON device_host_keys
    FOR EACH ROW EXECUTE FUNCTION switchyard_host_key_changed();
CREATE TRIGGER device_host_key_forgotten AFTER DELETE ON device_host_keys
    FOR EACH ROW EXECUTE FUNCTION switchyard_host_key_changed();
