-- $1: bigint[] of job ids whose run ended.
DELETE FROM job_locks WHERE job_id = ANY ($1::bigint[])
