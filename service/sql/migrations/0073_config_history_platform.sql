-- The platform a device had when its config was recorded
-- (devices/config_history.h). A record made while the device was another
-- platform (replaced by a box of another vendor under the same hostname) is
-- never restored to it (apply_config): its text is in the other platform's
-- language. NULL for records from before this migration: not known.
ALTER TABLE device_config_history ADD COLUMN platform text;
