-- CNaaS-NMS's shapes for what earlier releases stored differently.
--
-- exception.traceback is one string in CNaaS-NMS (src/cnaas_nms/db/job.py
-- finish_exception stores Python's formatted traceback; cnaas-front
-- src/components/JobList/JobDetails.js reads it as a string). Jobs written
-- before this migration kept a list of lines: join them.
UPDATE jobs
SET exception = jsonb_set(exception, '{traceback}',
                          to_jsonb(array_to_string(ARRAY(SELECT jsonb_array_elements_text(exception -> 'traceback')), E'\n')))
WHERE jsonb_typeof(exception -> 'traceback') = 'array';

-- CNaaS-NMS's front end filters jobs by finish_time (cnaas-front
-- src/components/JobList/JobSearchForm.js), a range here (api/time_filter.h);
-- CNaaS-NMS indexes the column too (db/job.py: finish_time index=True).
CREATE INDEX jobs_finish_time ON jobs (finish_time, id);
