-- The jobs_updated trigger again, without joining its transition tables.
--
-- PL/pgSQL caches a generic plan for a function's queries after a few calls.
-- Transition tables have no statistics, so a plan cached while a session
-- updated one job at a time is a nested loop over new_rows x old_rows: a
-- session that then finishes jobs 2,000 at a time spent ~550 ms per batch
-- instead of ~40 ms (the engine benchmark's intermittent collapse to ~3,000
-- jobs/s). Set operations (EXCEPT, UNION ALL with GROUP BY) hash or sort
-- whatever the plan, so no batch size can make them quadratic.
CREATE OR REPLACE FUNCTION switchyard_jobs_updated() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    changed jsonb;
    q text;
BEGIN
    -- Jobs whose status or finished device count changed (finished_devices
    -- only grows, so its length says whether it changed).
    SELECT jsonb_agg(jsonb_build_object('id', id, 'status', status, 'function_name', function_name,
                                        'finished_devices', finished) ORDER BY id)
    INTO changed
    FROM (SELECT id, status, function_name, jsonb_array_length(finished_devices) AS finished FROM new_rows
          EXCEPT ALL
          SELECT id, status, function_name, jsonb_array_length(finished_devices) FROM old_rows) c;
    IF changed IS NOT NULL THEN
        PERFORM switchyard_publish_jobs(changed);
        -- Count deltas: +1 per new row, -1 per old row; unchanged rows cancel.
        INSERT INTO job_count_deltas
        SELECT status, function_name, sum(n) FROM (
            SELECT status, function_name, 1 AS n FROM new_rows
            UNION ALL
            SELECT status, function_name, -1 FROM old_rows) d
        GROUP BY 1, 2
        HAVING sum(n) <> 0;
    END IF;
    -- A job back in SCHEDULED and already due (an immediate retry) wakes workers.
    FOR q IN SELECT DISTINCT queue FROM (
                 SELECT id, queue FROM new_rows WHERE status = 'SCHEDULED' AND scheduled_time <= now()
                 EXCEPT ALL
                 SELECT id, queue FROM old_rows WHERE status = 'SCHEDULED') woken LOOP
        PERFORM pg_notify('switchyard_job_ready', q);
    END LOOP;
    RETURN NULL;
END $$;
