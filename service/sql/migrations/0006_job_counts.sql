-- Exact job counts by status and kind, so GET /jobs can send X-Total-Count
-- for the common queries (none, status and/or function_name filters) without
-- counting a large table. Statement triggers append deltas (insert-only: no
-- row is contended); the maintenance leader folds them into job_counts. At any
-- snapshot, job_counts + job_count_deltas is the exact count.
CREATE TABLE job_counts (
    status        text NOT NULL,
    function_name text NOT NULL,
    n             bigint NOT NULL,
    PRIMARY KEY (status, function_name)
);
CREATE TABLE job_count_deltas (
    status        text NOT NULL,
    function_name text NOT NULL,
    n             bigint NOT NULL
);
INSERT INTO job_counts SELECT status, function_name, count(*) FROM jobs GROUP BY 1, 2;

CREATE OR REPLACE FUNCTION switchyard_jobs_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    q text;
BEGIN
    PERFORM switchyard_publish_jobs(
        (SELECT jsonb_agg(jsonb_build_object('id', id, 'status', status, 'function_name', function_name,
                                             'finished_devices', jsonb_array_length(finished_devices)))
         FROM new_rows));
    INSERT INTO job_count_deltas SELECT status, function_name, count(*) FROM new_rows GROUP BY 1, 2;
    FOR q IN SELECT DISTINCT queue FROM new_rows WHERE status = 'SCHEDULED' AND scheduled_time <= now() LOOP
        PERFORM pg_notify('switchyard_job_ready', q);
    END LOOP;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION switchyard_jobs_updated() RETURNS trigger LANGUAGE plpgsql AS $$
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
        INSERT INTO job_count_deltas
        SELECT status, function_name, sum(n) FROM (
            SELECT n.status, n.function_name, 1 AS n FROM new_rows n JOIN old_rows o ON o.id = n.id
            WHERE o.status <> n.status OR o.function_name <> n.function_name
            UNION ALL
            SELECT o.status, o.function_name, -1 FROM new_rows n JOIN old_rows o ON o.id = n.id
            WHERE o.status <> n.status OR o.function_name <> n.function_name) d
        GROUP BY 1, 2;
    END IF;
    FOR q IN SELECT DISTINCT n.queue FROM new_rows n JOIN old_rows o ON o.id = n.id
             WHERE n.status = 'SCHEDULED' AND o.status <> 'SCHEDULED' AND n.scheduled_time <= now() LOOP
        PERFORM pg_notify('switchyard_job_ready', q);
    END LOOP;
    RETURN NULL;
END $$;

CREATE FUNCTION switchyard_jobs_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO job_count_deltas SELECT status, function_name, -count(*) FROM old_rows GROUP BY 1, 2;
    RETURN NULL;
END $$;

CREATE TRIGGER jobs_deleted AFTER DELETE ON jobs
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION switchyard_jobs_deleted();

-- Truncating jobs (tests, benchmarks) must not leave stale counts.
CREATE FUNCTION switchyard_jobs_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM job_counts;
    DELETE FROM job_count_deltas;
    RETURN NULL;
END $$;
CREATE TRIGGER jobs_truncated AFTER TRUNCATE ON jobs FOR EACH STATEMENT EXECUTE FUNCTION switchyard_jobs_truncated();
