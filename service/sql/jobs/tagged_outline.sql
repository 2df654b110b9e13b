-- name: tagged_outline :optional
-- params: id bigint, tag text
-- columns: row_version bigint, outline text_shared, devices boolean
-- Job @id's document (view job_documents) with its result's devices replaced
-- by the string @tag, and whether it has them (an object): GET /jobs reads an
-- ended job's devices apart (result_entries.sql) and puts them where the tag
-- stands, so that no answer holds the whole document in one value (an ended
-- 10,000-device sync's is 13.6 MB: libpq's buffer grew to 16 MB to receive
-- it, beside the result it was copied into). The text is the view's but for
-- the tag: jsonb prints the devices' entries as result_entries.sql does.
-- Read in the page's snapshot, with result_entries.sql.
SELECT xmin::text::bigint AS row_version,
       job_document(jobs, CASE WHEN jsonb_typeof(result -> 'devices') = 'object'
                               THEN jsonb_set(result, '{devices}', to_jsonb(@tag::text)) ELSE result END)::text
           AS outline,
       coalesce(jsonb_typeof(result -> 'devices') = 'object', false) AS devices
FROM jobs
WHERE id = @id
