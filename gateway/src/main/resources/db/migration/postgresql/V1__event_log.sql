-- The event log shared by every gateway on this database (docs/OPERATIONS.md "Cluster").
-- seq is assigned by the writing transaction while it holds the store's advisory lock, so seq order is
-- commit order: a reader of "seq > N" never misses an event that commits later.
CREATE TABLE events (
    seq       BIGINT PRIMARY KEY,
    device_id TEXT   NOT NULL,
    status    TEXT   NOT NULL,
    json      TEXT   NOT NULL,
    agent_id  TEXT,
    agent_seq BIGINT,
    stored_ms BIGINT NOT NULL
);
CREATE INDEX events_by_device ON events (device_id, seq);
CREATE INDEX events_by_time ON events (stored_ms);

-- The last status of every device, written in the same transaction as its event.
CREATE TABLE devices (
    device_id TEXT PRIMARY KEY,
    seq       BIGINT NOT NULL,
    status    TEXT   NOT NULL,
    result    TEXT,
    json      TEXT   NOT NULL
);

-- Per-agent high-water mark: shared, so an agent may fail over to any gateway without a duplicate or a loss.
CREATE TABLE agents (
    agent_id TEXT PRIMARY KEY,
    last_seq BIGINT NOT NULL
);

-- Idempotency-Key of POST /api/events -> the event it stored (any gateway answers a retry with it).
CREATE TABLE idempotency (
    key       TEXT PRIMARY KEY,
    seq       BIGINT NOT NULL,
    stored_ms BIGINT NOT NULL
);

-- last_seq: the highest seq ever issued (kept when retention empties the log, so no seq is reused).
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);
INSERT INTO meta (key, value) VALUES ('last_seq', 0);
