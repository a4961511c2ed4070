-- The retention sweep deletes expired idempotency keys in chunks, oldest first (issue 18), as it does events:
-- without this index every chunk would read the whole table while the writers' seq lock is held.
CREATE INDEX IF NOT EXISTS idempotency_by_time ON idempotency (stored_ms);
