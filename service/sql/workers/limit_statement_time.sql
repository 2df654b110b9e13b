-- name: limit_statement_time :exec
-- params: milliseconds text
-- Statements of this session end after @milliseconds: a worker retiring at
-- shutdown must not wait on a database that does not answer.
SELECT set_config('statement_timeout', @milliseconds, false)
