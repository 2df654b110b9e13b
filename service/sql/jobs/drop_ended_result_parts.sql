-- name: drop_ended_result_parts :exec
-- params: ids bigint[]
-- Every part of the jobs @ids, whose attempts complete.sql just ended: what
-- made their result, and what attempts that never completed left.
DELETE FROM job_result_parts WHERE job_id = ANY (@ids::bigint[])
