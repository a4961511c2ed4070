-- Issue 18: the number of events that /healthz reports, kept by the writers (each batch moves it in its own
-- transaction: rows inserted minus rows purged) instead of a COUNT(*) per call, which reads the whole table.
-- Counted here once from the existing rows, holding the writers' seq lock (PostgresWriteSession.SEQ_LOCK,
-- "benchlnk" in ASCII) so that no batch of a running gateway commits between the count and the row.
SELECT pg_advisory_xact_lock(7090194561597468267);
INSERT INTO meta (key, value) SELECT 'event_count', COUNT(*) FROM events;
