-- Suspending a running rollout (issue 12 item 7): PUT /job/<id> {"action":
-- "SUSPEND"} sets suspend_requested, {"action": "RESUME"} clears it. The job
-- stays RUNNING and keeps its locks; the worker running it reads the flag with
-- its heartbeat, as it reads an abort, and the rollout starts no batch while
-- it is set. suspended_by: who asked last (or the job itself: pause_after_first).
ALTER TABLE jobs ADD COLUMN suspend_requested boolean NOT NULL DEFAULT false, ADD COLUMN suspended_by text;
