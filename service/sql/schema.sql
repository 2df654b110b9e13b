-- The schema of Switchyard's database after every migration (service/sql/migrations),
-- dumped by pg_dump --schema-only. Generated: see tests/service/schema_test.cpp.

-- PostgreSQL database dump

-- Name: device_change_journal; Type: TABLE; Schema: public; Owner: -

CREATE TABLE public.device_change_journal (
    id bigint NOT NULL,
    job_id bigint NOT NULL,
    attempt integer NOT NULL,
    sync_job_id bigint NOT NULL,
    hostname text NOT NULL,
    config_before text NOT NULL,
    intended text NOT NULL,
    phase text NOT NULL,
    opened_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    closed_at timestamp with time zone,
    confirm_timer_job_id bigint,
    confirm_deadline timestamp with time zone,
    CONSTRAINT device_change_journal_check CHECK (((closed_at IS NULL) = (phase = ANY (ARRAY['pushing'::text, 'committed'::text, 'awaiting_confirm'::text])))),
    CONSTRAINT device_change_journal_phase_check CHECK ((phase = ANY (ARRAY['pushing'::text, 'committed'::text, 'awaiting_confirm'::text, 'verified'::text, 'restored'::text, 'completed'::text, 'failed'::text, 'unreachable'::text])))
);
ALTER TABLE ONLY public.device_change_journal ALTER COLUMN config_before SET COMPRESSION lz4;
ALTER TABLE ONLY public.device_change_journal ALTER COLUMN intended SET COMPRESSION lz4;

-- Name: change_left_by(public.device_change_journal, bigint); Type: FUNCTION; Schema: public; Owner: -

CREATE FUNCTION public.change_left_by(c public.device_change_journal, job bigint) RETURNS boolean
    LANGUAGE sql STABLE
    AS $$
    SELECT c.job_id = job
        OR coalesce(c.confirm_timer_job_id = job, false)
        OR EXISTS (SELECT 1 FROM jobs p WHERE p.id = c.job_id AND p.next_job_id = job)
$$;

-- Name: jobs; Type: TABLE; Schema: public; Owner: -

CREATE TABLE public.jobs (
    id bigint NOT NULL,
    status text DEFAULT 'SCHEDULED'::text NOT NULL,
    function_name text NOT NULL,
    queue text DEFAULT 'default'::text NOT NULL,
    priority smallint DEFAULT 5 NOT NULL,
    scheduled_time timestamp with time zone DEFAULT now() NOT NULL,
    start_time timestamp with time zone,
    finish_time timestamp with time zone,
    created_time timestamp with time zone DEFAULT now() NOT NULL,
    scheduled_by text,
    comment text,
    ticket_ref text,
    next_job_id bigint,
    result jsonb,
    exception jsonb,
    finished_devices jsonb DEFAULT '[]'::jsonb NOT NULL,
    change_score smallint,
    start_arguments jsonb DEFAULT '{}'::jsonb NOT NULL,
    progress jsonb,
    attempt integer DEFAULT 0 NOT NULL,
    max_attempts integer DEFAULT 1 NOT NULL,
    errors jsonb DEFAULT '[]'::jsonb NOT NULL,
    timeout_seconds integer NOT NULL,
    retry_safe boolean DEFAULT false NOT NULL,
    idempotency_key text,
    worker_id bigint,
    abort_reason text,
    aborted_by text,
    worker_deaths smallint DEFAULT 0 NOT NULL,
    retry_of bigint,
    retried_by bigint,
    estimated_seconds double precision,
    suspend_requested boolean DEFAULT false NOT NULL,
    suspended_by text,
    CONSTRAINT jobs_change_score_check CHECK (((change_score >= 0) AND (change_score <= 100))),
    CONSTRAINT jobs_max_attempts_check CHECK (((max_attempts >= 1) AND (max_attempts <= 100))),
    CONSTRAINT jobs_priority_check CHECK (((priority >= 1) AND (priority <= 10))),
    CONSTRAINT jobs_status_check CHECK ((status = ANY (ARRAY['SCHEDULED'::text, 'RUNNING'::text, 'FINISHED'::text, 'EXCEPTION'::text, 'ABORTING'::text, 'ABORTED'::text]))),
    CONSTRAINT jobs_timeout_seconds_check CHECK ((timeout_seconds > 0))
);
ALTER TABLE ONLY public.jobs ALTER COLUMN result SET COMPRESSION lz4;

-- Name: job_document(public.jobs, jsonb); Type: FUNCTION; Schema: public; Owner: -

CREATE FUNCTION public.job_document(j public.jobs, shown_result jsonb) RETURNS json
    LANGUAGE sql STABLE
    AS $$
    SELECT json_build_object(
        'id', j.id, 'status', j.status,
        'scheduled_time', j.scheduled_time, 'start_time', j.start_time, 'finish_time', j.finish_time,
        'function_name', j.function_name, 'scheduled_by', j.scheduled_by, 'comment', j.comment,
        'ticket_ref', j.ticket_ref, 'next_job_id', j.next_job_id, 'result', shown_result, 'exception', j.exception,
        'finished_devices', j.finished_devices, 'change_score', j.change_score, 'start_arguments', j.start_arguments,
        'queue', j.queue, 'priority', j.priority, 'attempt', j.attempt, 'max_attempts', j.max_attempts,
        'errors', j.errors, 'timeout_seconds', j.timeout_seconds, 'idempotency_key', j.idempotency_key,
        'worker_id', j.worker_id, 'progress', j.progress, 'created_time', j.created_time,
        'abort_reason', j.abort_reason, 'aborted_by', j.aborted_by,
        'retry_of', j.retry_of, 'retried_by', j.retried_by, 'estimated_seconds', j.estimated_seconds,
        'eta_seconds', CASE WHEN j.status = 'RUNNING' THEN job_eta_seconds(
            extract(epoch FROM now() - j.start_time)::float8, j.estimated_seconds,
            jsonb_array_length(j.finished_devices),
            CASE WHEN jsonb_typeof(j.progress -> 'total') = 'number' THEN (j.progress ->> 'total')::float8 END) END)
    $$;

-- Name: job_eta_seconds(double precision, double precision, integer, double precision); Type: FUNCTION; Schema: public; Owner: -

CREATE FUNCTION public.job_eta_seconds(elapsed double precision, estimated double precision, finished integer, total double precision) RETURNS double precision
    LANGUAGE sql IMMUTABLE
    AS $$
    SELECT CASE
        WHEN finished > 0 AND total IS NOT NULL THEN
            round(greatest(0, elapsed / finished * (total - finished))::numeric, 1)::float8
        WHEN estimated IS NOT NULL THEN round(greatest(0, estimated - elapsed)::numeric, 1)::float8
    END
$$;

-- Name: job_lock_is_live(bigint, integer); Type: FUNCTION; Schema: public; Owner: -

CREATE FUNCTION public.job_lock_is_live(lock_job_id bigint, lock_attempt integer) RETURNS boolean
    LANGUAGE sql STABLE
    AS $$
    SELECT EXISTS (SELECT 1 FROM jobs j
                   WHERE j.id = lock_job_id
                     AND ((j.status IN ('RUNNING', 'ABORTING') AND j.attempt = lock_attempt)
                          OR (j.status = 'SCHEDULED' AND j.attempt + 1 = lock_attempt)))
$$;

-- Name: switchyard_device_synchronized(); Type: FUNCTION; Schema: public; Owner: -

CREATE FUNCTION public.switchyard_device_synchronized() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    DELETE FROM device_sync_events WHERE hostname = NEW.hostname;
    RETURN NULL;
END $$;

-- Name: switchyard_host_key_changed(); Type: FUNCTION; Schema: public; Owner: -

CREATE FUNCTION public.switchyard_host_key_changed() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
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

-- Name: switchyard_jobs_deleted(); Type: FUNCTION; Schema: public; Owner: -

CREATE FUNCTION public.switchyard_jobs_deleted() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    INSERT INTO job_count_deltas SELECT status, function_name, -count(*) FROM old_rows GROUP BY 1, 2;
    RETURN NULL;
END $$;

-- Name: switchyard_jobs_inserted(); Type: FUNCTION; Schema: public; Owner: -

CREATE FUNCTION public.switchyard_jobs_inserted() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
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

-- Name: switchyard_jobs_truncated(); Type: FUNCTION; Schema: public; Owner: -

CREATE FUNCTION public.switchyard_jobs_truncated() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    DELETE FROM job_counts;
    DELETE FROM job_count_deltas;
    RETURN NULL;
END $$;

-- Name: switchyard_jobs_updated(); Type: FUNCTION; Schema: public; Owner: -

CREATE FUNCTION public.switchyard_jobs_updated() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
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

-- Name: switchyard_locks_changed(); Type: FUNCTION; Schema: public; Owner: -

CREATE FUNCTION public.switchyard_locks_changed() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
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

-- Name: switchyard_publish_jobs(jsonb); Type: FUNCTION; Schema: public; Owner: -

CREATE FUNCTION public.switchyard_publish_jobs(changed jsonb) RETURNS void
    LANGUAGE plpgsql
    AS $$
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

-- Name: dashboard_login_links; Type: TABLE; Schema: public; Owner: -

CREATE TABLE public.dashboard_login_links (
    code_sha256 text NOT NULL,
    subject text NOT NULL,
    roles text[] NOT NULL,
    token_ttl_seconds integer NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    CONSTRAINT dashboard_login_links_code_sha256_check CHECK ((code_sha256 ~ '^[0-9a-f]{64}$'::text)),
    CONSTRAINT dashboard_login_links_roles_check CHECK (((cardinality(roles) > 0) AND (roles <@ ARRAY['read'::text, 'operator'::text, 'admin'::text]))),
    CONSTRAINT dashboard_login_links_subject_check CHECK ((subject <> ''::text)),
    CONSTRAINT dashboard_login_links_token_ttl_seconds_check CHECK ((token_ttl_seconds > 0))
);

-- Name: device_change_journal_id_seq; Type: SEQUENCE; Schema: public; Owner: -

CREATE SEQUENCE public.device_change_journal_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

-- Name: device_change_journal_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -

ALTER SEQUENCE public.device_change_journal_id_seq OWNED BY public.device_change_journal.id;

-- Name: device_config_history; Type: TABLE; Schema: public; Owner: -

CREATE TABLE public.device_config_history (
    id bigint NOT NULL,
    hostname text NOT NULL,
    recorded_at timestamp with time zone DEFAULT now() NOT NULL,
    job_id bigint,
    source text NOT NULL,
    confhash text NOT NULL,
    text_sha256 text NOT NULL,
    platform text,
    CONSTRAINT device_config_history_source_check CHECK ((source = ANY (ARRAY['read'::text, 'pushed'::text])))
);

-- Name: device_config_history_id_seq; Type: SEQUENCE; Schema: public; Owner: -

CREATE SEQUENCE public.device_config_history_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

-- Name: device_config_history_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -

ALTER SEQUENCE public.device_config_history_id_seq OWNED BY public.device_config_history.id;

-- Name: device_config_texts; Type: TABLE; Schema: public; Owner: -

CREATE TABLE public.device_config_texts (
    sha256 text NOT NULL,
    config text NOT NULL
);
ALTER TABLE ONLY public.device_config_texts ALTER COLUMN config SET COMPRESSION lz4;

-- Name: device_host_keys; Type: TABLE; Schema: public; Owner: -

CREATE TABLE public.device_host_keys (
    hostname text NOT NULL,
    key_type text NOT NULL,
    public_key text NOT NULL,
    fingerprint text NOT NULL,
    first_seen timestamp with time zone DEFAULT now() NOT NULL
);

-- Name: device_pending_commits; Type: TABLE; Schema: public; Owner: -

CREATE TABLE public.device_pending_commits (
    hostname text NOT NULL,
    job_id bigint NOT NULL,
    pending jsonb NOT NULL,
    intended_confhash text NOT NULL,
    committed_at timestamp with time zone DEFAULT now() NOT NULL,
    deadline timestamp with time zone NOT NULL
);

-- Name: device_sync_events; Type: TABLE; Schema: public; Owner: -

CREATE TABLE public.device_sync_events (
    id bigint NOT NULL,
    hostname text NOT NULL,
    cause text NOT NULL,
    at timestamp with time zone DEFAULT now() NOT NULL,
    by text NOT NULL,
    job_id bigint,
    CONSTRAINT device_sync_events_cause_check CHECK (((cause <> ''::text) AND (length(cause) <= 255)))
);

-- Name: device_sync_events_id_seq; Type: SEQUENCE; Schema: public; Owner: -

CREATE SEQUENCE public.device_sync_events_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

-- Name: device_sync_events_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -

ALTER SEQUENCE public.device_sync_events_id_seq OWNED BY public.device_sync_events.id;

-- Name: devices; Type: TABLE; Schema: public; Owner: -

CREATE TABLE public.devices (
    hostname text NOT NULL,
    management_ip inet NOT NULL,
    port integer DEFAULT 22 NOT NULL,
    platform text NOT NULL,
    device_type text DEFAULT 'UNKNOWN'::text NOT NULL,
    state text DEFAULT 'MANAGED'::text NOT NULL,
    synchronized boolean DEFAULT false NOT NULL,
    confhash text,
    last_seen timestamp with time zone,
    groups text[] DEFAULT '{}'::text[] NOT NULL,
    created_time timestamp with time zone DEFAULT now() NOT NULL,
    updated_time timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT devices_device_type_check CHECK ((device_type = ANY (ARRAY['ACCESS'::text, 'DIST'::text, 'CORE'::text, 'UNKNOWN'::text]))),
    CONSTRAINT devices_port_check CHECK (((port >= 1) AND (port <= 65535))),
    CONSTRAINT devices_state_check CHECK ((state = ANY (ARRAY['MANAGED'::text, 'UNMANAGED'::text])))
);

-- Name: job_count_deltas; Type: TABLE; Schema: public; Owner: -

CREATE TABLE public.job_count_deltas (
    status text NOT NULL,
    function_name text NOT NULL,
    n bigint NOT NULL
);

-- Name: job_counts; Type: TABLE; Schema: public; Owner: -

CREATE TABLE public.job_counts (
    status text NOT NULL,
    function_name text NOT NULL,
    n bigint NOT NULL
);

-- Name: job_device_texts; Type: TABLE; Schema: public; Owner: -

CREATE TABLE public.job_device_texts (
    id bigint NOT NULL,
    job_id bigint NOT NULL,
    hostname text NOT NULL,
    kind text NOT NULL,
    text_sha256 text NOT NULL,
    CONSTRAINT job_device_texts_kind_check CHECK ((kind = ANY (ARRAY['generated'::text, 'diff'::text])))
);

-- Name: job_device_texts_id_seq; Type: SEQUENCE; Schema: public; Owner: -

CREATE SEQUENCE public.job_device_texts_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

-- Name: job_device_texts_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -

ALTER SEQUENCE public.job_device_texts_id_seq OWNED BY public.job_device_texts.id;

-- Name: job_documents; Type: VIEW; Schema: public; Owner: -

CREATE VIEW public.job_documents AS
 SELECT jobs.id,
    jobs.status,
    jobs.function_name,
    jobs.scheduled_by,
    jobs.comment,
    jobs.ticket_ref,
    jobs.next_job_id,
    jobs.change_score,
    jobs.queue,
    jobs.priority,
    jobs.scheduled_time,
    jobs.start_time,
    jobs.finish_time,
    (public.job_document(jobs.*, jobs.result))::text AS document,
    ((jobs.xmin)::text)::bigint AS row_version,
    (public.job_document(jobs.*,
        CASE
            WHEN (jsonb_typeof((jobs.result -> 'devices'::text)) = 'object'::text) THEN jsonb_set(jobs.result, '{devices}'::text[], '{}'::jsonb)
            ELSE jobs.result
        END))::text AS outline
   FROM public.jobs;

-- Name: job_locks; Type: TABLE; Schema: public; Owner: -

CREATE TABLE public.job_locks (
    name text NOT NULL,
    job_id bigint NOT NULL,
    start_time timestamp with time zone DEFAULT now() NOT NULL,
    abort boolean DEFAULT false NOT NULL,
    attempt integer DEFAULT 1 NOT NULL,
    CONSTRAINT job_locks_name_check CHECK (((length(name) >= 1) AND (length(name) <= 200)))
);

-- Name: job_result_parts; Type: TABLE; Schema: public; Owner: -

CREATE TABLE public.job_result_parts (
    job_id bigint NOT NULL,
    attempt integer NOT NULL,
    seq integer NOT NULL,
    part text NOT NULL,
    CONSTRAINT job_result_parts_seq_check CHECK ((seq >= 0))
);
ALTER TABLE ONLY public.job_result_parts ALTER COLUMN part SET COMPRESSION lz4;

-- Name: jobs_id_seq; Type: SEQUENCE; Schema: public; Owner: -

CREATE SEQUENCE public.jobs_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

-- Name: jobs_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -

ALTER SEQUENCE public.jobs_id_seq OWNED BY public.jobs.id;

-- Name: leaders; Type: TABLE; Schema: public; Owner: -

CREATE TABLE public.leaders (
    name text NOT NULL,
    worker_id bigint NOT NULL,
    elected_at timestamp with time zone DEFAULT now() NOT NULL,
    expires_at timestamp with time zone NOT NULL
);

-- Name: repository_commits; Type: TABLE; Schema: public; Owner: -

CREATE TABLE public.repository_commits (
    name text NOT NULL,
    commit_sha text NOT NULL,
    description text NOT NULL,
    refreshed_by text NOT NULL,
    refreshed_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT repository_commits_commit_sha_check CHECK ((commit_sha ~ '^[0-9a-f]{40}$'::text)),
    CONSTRAINT repository_commits_name_check CHECK ((name = ANY (ARRAY['templates'::text, 'settings'::text])))
);

-- Name: schedules; Type: TABLE; Schema: public; Owner: -

CREATE TABLE public.schedules (
    id bigint NOT NULL,
    name text NOT NULL,
    function_name text NOT NULL,
    arguments jsonb DEFAULT '{}'::jsonb NOT NULL,
    cron text,
    time_zone text DEFAULT 'UTC'::text NOT NULL,
    interval_seconds integer,
    anchor timestamp with time zone DEFAULT now() NOT NULL,
    enabled boolean DEFAULT true NOT NULL,
    missed text DEFAULT 'run_once'::text NOT NULL,
    priority smallint,
    comment text,
    next_run_at timestamp with time zone NOT NULL,
    last_run_at timestamp with time zone,
    last_job_id bigint,
    last_error text,
    created_by text,
    created_time timestamp with time zone DEFAULT now() NOT NULL,
    updated_time timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT schedules_arguments_check CHECK ((jsonb_typeof(arguments) = 'object'::text)),
    CONSTRAINT schedules_check CHECK (((cron IS NULL) <> (interval_seconds IS NULL))),
    CONSTRAINT schedules_cron_check CHECK (((length(cron) >= 1) AND (length(cron) <= 200))),
    CONSTRAINT schedules_interval_seconds_check CHECK (((interval_seconds >= 1) AND (interval_seconds <= 31622400))),
    CONSTRAINT schedules_missed_check CHECK ((missed = ANY (ARRAY['run_once'::text, 'skip'::text]))),
    CONSTRAINT schedules_name_check CHECK (((length(name) >= 1) AND (length(name) <= 200))),
    CONSTRAINT schedules_priority_check CHECK (((priority >= 1) AND (priority <= 10)))
);

-- Name: schedule_documents; Type: VIEW; Schema: public; Owner: -

CREATE VIEW public.schedule_documents AS
 SELECT schedules.id,
    (jsonb_build_object('id', schedules.id, 'name', schedules.name, 'function_name', schedules.function_name, 'arguments', schedules.arguments, 'cron', schedules.cron, 'time_zone', schedules.time_zone, 'interval_seconds', schedules.interval_seconds, 'anchor', schedules.anchor, 'enabled', schedules.enabled, 'missed', schedules.missed, 'priority', schedules.priority, 'comment', schedules.comment, 'next_run_at', schedules.next_run_at, 'last_run_at', schedules.last_run_at, 'last_job_id', schedules.last_job_id, 'last_error', schedules.last_error, 'created_by', schedules.created_by, 'created_time', schedules.created_time, 'updated_time', schedules.updated_time))::text AS document
   FROM public.schedules;

-- Name: schedules_id_seq; Type: SEQUENCE; Schema: public; Owner: -

CREATE SEQUENCE public.schedules_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

-- Name: schedules_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -

ALTER SEQUENCE public.schedules_id_seq OWNED BY public.schedules.id;

-- Name: schema_migrations; Type: TABLE; Schema: public; Owner: -

CREATE TABLE public.schema_migrations (
    version integer NOT NULL,
    name text NOT NULL,
    applied_at timestamp with time zone DEFAULT now() NOT NULL
);

-- Name: sync_parked_configs; Type: TABLE; Schema: public; Owner: -

CREATE UNLOGGED TABLE public.sync_parked_configs (
    job_id bigint NOT NULL,
    hostname text NOT NULL,
    read bytea NOT NULL,
    intended bytea NOT NULL
);
ALTER TABLE ONLY public.sync_parked_configs ALTER COLUMN read SET COMPRESSION lz4;
ALTER TABLE ONLY public.sync_parked_configs ALTER COLUMN intended SET COMPRESSION lz4;

-- Name: workers; Type: TABLE; Schema: public; Owner: -

CREATE TABLE public.workers (
    id bigint NOT NULL,
    hostname text NOT NULL,
    pid integer NOT NULL,
    started_at timestamp with time zone DEFAULT now() NOT NULL,
    heartbeat_at timestamp with time zone DEFAULT now() NOT NULL,
    lease_seconds integer NOT NULL,
    dead_at timestamp with time zone,
    dead_reason text,
    retired boolean DEFAULT false NOT NULL,
    CONSTRAINT workers_lease_seconds_check CHECK ((lease_seconds > 0))
);

-- Name: workers_id_seq; Type: SEQUENCE; Schema: public; Owner: -

CREATE SEQUENCE public.workers_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

-- Name: workers_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -

ALTER SEQUENCE public.workers_id_seq OWNED BY public.workers.id;

-- Name: device_change_journal id; Type: DEFAULT; Schema: public; Owner: -

ALTER TABLE ONLY public.device_change_journal ALTER COLUMN id SET DEFAULT nextval('public.device_change_journal_id_seq'::regclass);

-- Name: device_config_history id; Type: DEFAULT; Schema: public; Owner: -

ALTER TABLE ONLY public.device_config_history ALTER COLUMN id SET DEFAULT nextval('public.device_config_history_id_seq'::regclass);

-- Name: device_sync_events id; Type: DEFAULT; Schema: public; Owner: -

ALTER TABLE ONLY public.device_sync_events ALTER COLUMN id SET DEFAULT nextval('public.device_sync_events_id_seq'::regclass);

-- Name: job_device_texts id; Type: DEFAULT; Schema: public; Owner: -

ALTER TABLE ONLY public.job_device_texts ALTER COLUMN id SET DEFAULT nextval('public.job_device_texts_id_seq'::regclass);

-- Name: jobs id; Type: DEFAULT; Schema: public; Owner: -

ALTER TABLE ONLY public.jobs ALTER COLUMN id SET DEFAULT nextval('public.jobs_id_seq'::regclass);

-- Name: schedules id; Type: DEFAULT; Schema: public; Owner: -

ALTER TABLE ONLY public.schedules ALTER COLUMN id SET DEFAULT nextval('public.schedules_id_seq'::regclass);

-- Name: workers id; Type: DEFAULT; Schema: public; Owner: -

ALTER TABLE ONLY public.workers ALTER COLUMN id SET DEFAULT nextval('public.workers_id_seq'::regclass);

-- Name: dashboard_login_links dashboard_login_links_pkey; Type: CONSTRAINT; Schema: public; Owner: -

ALTER TABLE ONLY public.dashboard_login_links
    ADD CONSTRAINT dashboard_login_links_pkey PRIMARY KEY (code_sha256);

-- Name: device_change_journal device_change_journal_pkey; Type: CONSTRAINT; Schema: public; Owner: -

ALTER TABLE ONLY public.device_change_journal
    ADD CONSTRAINT device_change_journal_pkey PRIMARY KEY (id);

-- Name: device_config_history device_config_history_pkey; Type: CONSTRAINT; Schema: public; Owner: -

ALTER TABLE ONLY public.device_config_history
    ADD CONSTRAINT device_config_history_pkey PRIMARY KEY (id);

-- Name: device_config_texts device_config_texts_pkey; Type: CONSTRAINT; Schema: public; Owner: -

ALTER TABLE ONLY public.device_config_texts
    ADD CONSTRAINT device_config_texts_pkey PRIMARY KEY (sha256);

-- Name: device_host_keys device_host_keys_pkey; Type: CONSTRAINT; Schema: public; Owner: -

ALTER TABLE ONLY public.device_host_keys
    ADD CONSTRAINT device_host_keys_pkey PRIMARY KEY (hostname);

-- Name: device_pending_commits device_pending_commits_pkey; Type: CONSTRAINT; Schema: public; Owner: -

ALTER TABLE ONLY public.device_pending_commits
    ADD CONSTRAINT device_pending_commits_pkey PRIMARY KEY (hostname);

-- Name: device_sync_events device_sync_events_pkey; Type: CONSTRAINT; Schema: public; Owner: -

ALTER TABLE ONLY public.device_sync_events
    ADD CONSTRAINT device_sync_events_pkey PRIMARY KEY (id);

-- Name: devices devices_pkey; Type: CONSTRAINT; Schema: public; Owner: -

ALTER TABLE ONLY public.devices
    ADD CONSTRAINT devices_pkey PRIMARY KEY (hostname);

-- Name: job_counts job_counts_pkey; Type: CONSTRAINT; Schema: public; Owner: -

ALTER TABLE ONLY public.job_counts
    ADD CONSTRAINT job_counts_pkey PRIMARY KEY (status, function_name);

-- Name: job_device_texts job_device_texts_pkey; Type: CONSTRAINT; Schema: public; Owner: -

ALTER TABLE ONLY public.job_device_texts
    ADD CONSTRAINT job_device_texts_pkey PRIMARY KEY (id);

-- Name: job_locks job_locks_pkey; Type: CONSTRAINT; Schema: public; Owner: -

ALTER TABLE ONLY public.job_locks
    ADD CONSTRAINT job_locks_pkey PRIMARY KEY (name);

-- Name: job_result_parts job_result_parts_pkey; Type: CONSTRAINT; Schema: public; Owner: -

ALTER TABLE ONLY public.job_result_parts
    ADD CONSTRAINT job_result_parts_pkey PRIMARY KEY (job_id, attempt, seq);

-- Name: jobs jobs_pkey; Type: CONSTRAINT; Schema: public; Owner: -

ALTER TABLE ONLY public.jobs
    ADD CONSTRAINT jobs_pkey PRIMARY KEY (id);

-- Name: leaders leaders_pkey; Type: CONSTRAINT; Schema: public; Owner: -

ALTER TABLE ONLY public.leaders
    ADD CONSTRAINT leaders_pkey PRIMARY KEY (name);

-- Name: repository_commits repository_commits_pkey; Type: CONSTRAINT; Schema: public; Owner: -

ALTER TABLE ONLY public.repository_commits
    ADD CONSTRAINT repository_commits_pkey PRIMARY KEY (name);

-- Name: schedules schedules_name_key; Type: CONSTRAINT; Schema: public; Owner: -

ALTER TABLE ONLY public.schedules
    ADD CONSTRAINT schedules_name_key UNIQUE (name);

-- Name: schedules schedules_pkey; Type: CONSTRAINT; Schema: public; Owner: -

ALTER TABLE ONLY public.schedules
    ADD CONSTRAINT schedules_pkey PRIMARY KEY (id);

-- Name: schema_migrations schema_migrations_pkey; Type: CONSTRAINT; Schema: public; Owner: -

ALTER TABLE ONLY public.schema_migrations
    ADD CONSTRAINT schema_migrations_pkey PRIMARY KEY (version);

-- Name: sync_parked_configs sync_parked_configs_pkey; Type: CONSTRAINT; Schema: public; Owner: -

ALTER TABLE ONLY public.sync_parked_configs
    ADD CONSTRAINT sync_parked_configs_pkey PRIMARY KEY (job_id, hostname);

-- Name: workers workers_pkey; Type: CONSTRAINT; Schema: public; Owner: -

ALTER TABLE ONLY public.workers
    ADD CONSTRAINT workers_pkey PRIMARY KEY (id);

-- Name: device_change_journal_closed; Type: INDEX; Schema: public; Owner: -

CREATE INDEX device_change_journal_closed ON public.device_change_journal USING btree (closed_at) WHERE (closed_at IS NOT NULL);

-- Name: device_change_journal_open; Type: INDEX; Schema: public; Owner: -

CREATE INDEX device_change_journal_open ON public.device_change_journal USING btree (job_id) WHERE (closed_at IS NULL);

-- Name: device_config_history_hostname_idx; Type: INDEX; Schema: public; Owner: -

CREATE INDEX device_config_history_hostname_idx ON public.device_config_history USING btree (hostname, id DESC);

-- Name: device_config_history_text_idx; Type: INDEX; Schema: public; Owner: -

CREATE INDEX device_config_history_text_idx ON public.device_config_history USING btree (text_sha256);

-- Name: device_sync_events_hostname; Type: INDEX; Schema: public; Owner: -

CREATE INDEX device_sync_events_hostname ON public.device_sync_events USING btree (hostname, id);

-- Name: devices_device_type_idx; Type: INDEX; Schema: public; Owner: -

CREATE INDEX devices_device_type_idx ON public.devices USING btree (device_type);

-- Name: devices_groups_idx; Type: INDEX; Schema: public; Owner: -

CREATE INDEX devices_groups_idx ON public.devices USING gin (groups);

-- Name: job_device_texts_job_idx; Type: INDEX; Schema: public; Owner: -

CREATE INDEX job_device_texts_job_idx ON public.job_device_texts USING btree (job_id);

-- Name: job_device_texts_text_idx; Type: INDEX; Schema: public; Owner: -

CREATE INDEX job_device_texts_text_idx ON public.job_device_texts USING btree (text_sha256);

-- Name: job_locks_job; Type: INDEX; Schema: public; Owner: -

CREATE INDEX job_locks_job ON public.job_locks USING btree (job_id);

-- Name: jobs_claim; Type: INDEX; Schema: public; Owner: -

CREATE INDEX jobs_claim ON public.jobs USING btree (queue, priority, scheduled_time, id) WHERE (status = 'SCHEDULED'::text);

-- Name: jobs_finish_time; Type: INDEX; Schema: public; Owner: -

CREATE INDEX jobs_finish_time ON public.jobs USING btree (finish_time, id);

-- Name: jobs_finished; Type: INDEX; Schema: public; Owner: -

CREATE INDEX jobs_finished ON public.jobs USING btree (status, finish_time) WHERE (finish_time IS NOT NULL);

-- Name: jobs_function_name_id; Type: INDEX; Schema: public; Owner: -

CREATE INDEX jobs_function_name_id ON public.jobs USING btree (function_name, id);

-- Name: jobs_idempotency_key; Type: INDEX; Schema: public; Owner: -

CREATE UNIQUE INDEX jobs_idempotency_key ON public.jobs USING btree (idempotency_key) WHERE (idempotency_key IS NOT NULL);

-- Name: jobs_running; Type: INDEX; Schema: public; Owner: -

CREATE INDEX jobs_running ON public.jobs USING btree (worker_id) WHERE (status = ANY (ARRAY['RUNNING'::text, 'ABORTING'::text]));

-- Name: jobs_scheduled_by_id; Type: INDEX; Schema: public; Owner: -

CREATE INDEX jobs_scheduled_by_id ON public.jobs USING btree (scheduled_by, id);

-- Name: jobs_status_id; Type: INDEX; Schema: public; Owner: -

CREATE INDEX jobs_status_id ON public.jobs USING btree (status, id);

-- Name: schedules_due; Type: INDEX; Schema: public; Owner: -

CREATE INDEX schedules_due ON public.schedules USING btree (next_run_at) WHERE enabled;

-- Name: device_host_keys device_host_key_forgotten; Type: TRIGGER; Schema: public; Owner: -

CREATE TRIGGER device_host_key_forgotten AFTER DELETE ON public.device_host_keys FOR EACH ROW EXECUTE FUNCTION public.switchyard_host_key_changed();

-- Name: device_host_keys device_host_key_trusted; Type: TRIGGER; Schema: public; Owner: -

CREATE TRIGGER device_host_key_trusted AFTER INSERT ON public.device_host_keys FOR EACH ROW EXECUTE FUNCTION public.switchyard_host_key_changed();

-- Name: devices devices_synchronized; Type: TRIGGER; Schema: public; Owner: -

CREATE TRIGGER devices_synchronized AFTER UPDATE OF synchronized ON public.devices FOR EACH ROW WHEN (new.synchronized) EXECUTE FUNCTION public.switchyard_device_synchronized();

-- Name: job_locks job_locks_acquired; Type: TRIGGER; Schema: public; Owner: -

CREATE TRIGGER job_locks_acquired AFTER INSERT ON public.job_locks REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.switchyard_locks_changed();

-- Name: job_locks job_locks_released; Type: TRIGGER; Schema: public; Owner: -

CREATE TRIGGER job_locks_released AFTER DELETE ON public.job_locks REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION public.switchyard_locks_changed();

-- Name: jobs jobs_deleted; Type: TRIGGER; Schema: public; Owner: -

CREATE TRIGGER jobs_deleted AFTER DELETE ON public.jobs REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION public.switchyard_jobs_deleted();

-- Name: jobs jobs_inserted; Type: TRIGGER; Schema: public; Owner: -

CREATE TRIGGER jobs_inserted AFTER INSERT ON public.jobs REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.switchyard_jobs_inserted();

-- Name: jobs jobs_truncated; Type: TRIGGER; Schema: public; Owner: -

CREATE TRIGGER jobs_truncated AFTER TRUNCATE ON public.jobs FOR EACH STATEMENT EXECUTE FUNCTION public.switchyard_jobs_truncated();

-- Name: jobs jobs_updated; Type: TRIGGER; Schema: public; Owner: -

CREATE TRIGGER jobs_updated AFTER UPDATE ON public.jobs REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.switchyard_jobs_updated();

-- Name: device_config_history device_config_history_hostname_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -

ALTER TABLE ONLY public.device_config_history
    ADD CONSTRAINT device_config_history_hostname_fkey FOREIGN KEY (hostname) REFERENCES public.devices(hostname) ON DELETE CASCADE;

-- Name: device_config_history device_config_history_text_sha256_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -

ALTER TABLE ONLY public.device_config_history
    ADD CONSTRAINT device_config_history_text_sha256_fkey FOREIGN KEY (text_sha256) REFERENCES public.device_config_texts(sha256);

-- Name: device_pending_commits device_pending_commits_hostname_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -

ALTER TABLE ONLY public.device_pending_commits
    ADD CONSTRAINT device_pending_commits_hostname_fkey FOREIGN KEY (hostname) REFERENCES public.devices(hostname) ON DELETE CASCADE;

-- Name: device_sync_events device_sync_events_hostname_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -

ALTER TABLE ONLY public.device_sync_events
    ADD CONSTRAINT device_sync_events_hostname_fkey FOREIGN KEY (hostname) REFERENCES public.devices(hostname) ON UPDATE CASCADE ON DELETE CASCADE;

-- Name: job_device_texts job_device_texts_job_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -

ALTER TABLE ONLY public.job_device_texts
    ADD CONSTRAINT job_device_texts_job_id_fkey FOREIGN KEY (job_id) REFERENCES public.jobs(id) ON DELETE CASCADE;

-- Name: job_device_texts job_device_texts_text_sha256_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -

ALTER TABLE ONLY public.job_device_texts
    ADD CONSTRAINT job_device_texts_text_sha256_fkey FOREIGN KEY (text_sha256) REFERENCES public.device_config_texts(sha256);

-- Name: job_locks job_locks_job_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -

ALTER TABLE ONLY public.job_locks
    ADD CONSTRAINT job_locks_job_id_fkey FOREIGN KEY (job_id) REFERENCES public.jobs(id) ON DELETE CASCADE;

-- Name: job_result_parts job_result_parts_job_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -

ALTER TABLE ONLY public.job_result_parts
    ADD CONSTRAINT job_result_parts_job_id_fkey FOREIGN KEY (job_id) REFERENCES public.jobs(id) ON DELETE CASCADE;

-- Name: sync_parked_configs sync_parked_configs_job_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -

ALTER TABLE ONLY public.sync_parked_configs
    ADD CONSTRAINT sync_parked_configs_job_id_fkey FOREIGN KEY (job_id) REFERENCES public.jobs(id) ON DELETE CASCADE;

-- PostgreSQL database dump complete
