-- name: gate :exec
-- Serialises lock takers until the end of the transaction: finding a set of
-- locks free and taking it must be one step, and the exclusion between the
-- global lock `devices` and the device locks spans rows no unique index
-- covers. Held for one short transaction per attempt to take locks.
SELECT pg_advisory_xact_lock(7365370101)
