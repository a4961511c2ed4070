-- Issue 18: a snapshot is sent to a subscriber in seq order, a page at a time (keyset on seq). Without this index
-- every page would sort the whole devices table: 50,000 rows for each page of a plant-sized snapshot.
CREATE INDEX IF NOT EXISTS devices_by_seq ON devices (seq);
