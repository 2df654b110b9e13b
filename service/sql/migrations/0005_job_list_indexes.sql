-- GET /jobs on a large table: the filters it allows, each with id order for paging.
CREATE INDEX jobs_status_id ON jobs (status, id);
CREATE INDEX jobs_function_name_id ON jobs (function_name, id);
CREATE INDEX jobs_scheduled_by_id ON jobs (scheduled_by, id);
