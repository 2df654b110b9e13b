-- name: fence :optional
-- params: id bigint, attempt integer, worker_id bigint, lock_names text[]
-- columns: id bigint
-- The proof a running attempt gives before each device change (fencing): it
-- still runs on worker @worker_id, that worker is not declared dead, and the
-- attempt still holds every lock in @lock_names. No row: it must not change a
-- device. (How fresh the worker's heartbeat is, its own clock tells:
-- engine/lease_watch.h.)
SELECT j.id
FROM jobs j JOIN workers w ON w.id = j.worker_id
WHERE j.id = @id AND j.attempt = @attempt AND j.worker_id = @worker_id
  AND j.status IN ('RUNNING', 'ABORTING')
  AND w.dead_at IS NULL
  AND (SELECT count(*) FROM job_locks l
       WHERE l.job_id = @id AND l.attempt = @attempt AND l.name = ANY (@lock_names::text[]))
      = cardinality(@lock_names::text[])
