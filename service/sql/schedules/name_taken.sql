-- name: name_taken :optional
-- params: name text, id bigint
-- columns: id bigint
-- Another schedule with this name.
SELECT id FROM schedules WHERE name = @name AND id <> @id
