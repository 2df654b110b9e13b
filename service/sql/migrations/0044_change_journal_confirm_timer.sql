-- Durable commit-confirm on devices without a timer of their own (frr;
-- issue 10 item 3): before such a commit the sync schedules a
-- roll_back_unconfirmed job at the confirm deadline and records it on the
-- change's journal entry. The timer is armed while the column is set; whoever
-- settles the change first disarms it (a confirm, the owner's own rollback, a
-- recovery adopting it), or the timer job takes the entry at its deadline
-- (tasks/roll_back_unconfirmed.cpp).
ALTER TABLE device_change_journal
    ADD COLUMN confirm_timer_job_id bigint,
    ADD COLUMN confirm_deadline timestamptz;
