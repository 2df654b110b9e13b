-- Every job state change (and finished-device count change) and every lock
-- change is published with NOTIFY, one notification per statement and per 50
-- rows, so batch claims and completions cost one notification, not hundreds.
--   switchyard_job_events   {"jobs":[{"id","status","function_name","finished_devices"}]}
--   switchyard_job_ready    queue name, when due jobs are inserted
--   switchyard_lock_events  {"locks":[{"name","job_id","event":"acquired"|"released"}]}

CREATE FUNCTION switchyard_publish_jobs(changed jsonb) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    chunk jsonb;
BEGIN
    FOR chunk IN
        SELECT jsonb_build_object('jobs', jsonb_agg(e ORDER BY (e->>'id')::bigint))
        FROM (SELECT e, (row_number() OVER () - 1) / 50 AS grp FROM jsonb_array_elements(changed) e) c
        GROUP BY grp
    LOOP
        PERFORM pg_notify('switchyard_job_events', chunk::text);
    END LOOP;
END $$;

CREATE FUNCTION switchyard_jobs_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    q text;
BEGIN
    PERFORM switchyard_publish_jobs(
        (SELECT jsonb_agg(jsonb_build_object('id', id, 'status', status, 'function_name', function_name,
                                             'finished_devices', jsonb_array_length(finished_devices)))
         FROM new_rows));
    FOR q IN SELECT DISTINCT queue FROM new_rows WHERE status = 'SCHEDULED' AND scheduled_time <= now() LOOP
        PERFORM pg_notify('switchyard_job_ready', q);
    END LOOP;
    RETURN NULL;
END $$;

CREATE FUNCTION switchyard_jobs_updated() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    changed jsonb;
    q text;
BEGIN
    SELECT jsonb_agg(jsonb_build_object('id', n.id, 'status', n.status, 'function_name', n.function_name,
                                        'finished_devices', jsonb_array_length(n.finished_devices)))
    INTO changed
    FROM new_rows n JOIN old_rows o ON o.id = n.id
    WHERE o.status IS DISTINCT FROM n.status OR o.finished_devices IS DISTINCT FROM n.finished_devices;
    IF changed IS NOT NULL THEN
        PERFORM switchyard_publish_jobs(changed);
    END IF;
    -- A job back in SCHEDULED and already due (an immediate retry) wakes workers.
    FOR q IN SELECT DISTINCT n.queue FROM new_rows n JOIN old_rows o ON o.id = n.id
             WHERE n.status = 'SCHEDULED' AND o.status <> 'SCHEDULED' AND n.scheduled_time <= now() LOOP
        PERFORM pg_notify('switchyard_job_ready', q);
    END LOOP;
    RETURN NULL;
END $$;

CREATE TRIGGER jobs_inserted AFTER INSERT ON jobs
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION switchyard_jobs_inserted();
CREATE TRIGGER jobs_updated AFTER UPDATE ON jobs
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION switchyard_jobs_updated();

CREATE FUNCTION switchyard_locks_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    payload jsonb;
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT jsonb_agg(jsonb_build_object('name', name, 'job_id', job_id, 'event', 'acquired')) INTO payload FROM new_rows;
    ELSE
        SELECT jsonb_agg(jsonb_build_object('name', name, 'job_id', job_id, 'event', 'released')) INTO payload FROM old_rows;
    END IF;
    IF payload IS NOT NULL THEN
        PERFORM pg_notify('switchyard_lock_events', left(jsonb_build_object('locks', payload)::text, 7900));
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER job_locks_acquired AFTER INSERT ON job_locks
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION switchyard_locks_changed();
CREATE TRIGGER job_locks_released AFTER DELETE ON job_locks
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION switchyard_locks_changed();
