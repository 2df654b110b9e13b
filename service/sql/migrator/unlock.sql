-- name: unlock :exec
SELECT pg_advisory_unlock(357947755849)
