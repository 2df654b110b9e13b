-- name: open_for_job :many
-- params: job_id bigint
-- columns: hostname text, phase text
-- The changes job @job_id leaves open as it ends, by hostname: those it
-- answers for; those handed to it that it never adopted (it was the
-- next_job_id of the job that made them, a confirm or a recovery, and ended
-- before it began: aborted while SCHEDULED, its worker lost); and, when it
-- is a confirm timer job (roll_back_unconfirmed), those still armed with it
-- (its attempts ran out while another job held the device, or it was
-- aborted). Else nobody would settle them, and every later sync would
-- refuse their devices. The rule is the schema's change_left_by, which
-- adopt_disarming.sql asks too.
SELECT hostname, phase FROM device_change_journal j
WHERE j.closed_at IS NULL AND change_left_by(j, @job_id)
ORDER BY hostname, id
