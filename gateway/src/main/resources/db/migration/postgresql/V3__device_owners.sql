-- Issue 15: device ownership of docs/PROTOCOL.md §3 across the gateways of one database.
-- A device belongs to the agent that last claimed it (its hello listed it, or it reported it). An owner is active
-- while it has a row in agent_links (connected, or lost within the grace period: the sweep deletes the row when it
-- publishes the offline) or claimed within the grace period (its link may not be recorded yet). Another agent may
-- take the device over only from an owner that is not active; claims and takeovers are one statement each.
CREATE TABLE device_owners (
    device_id  TEXT        PRIMARY KEY,
    agent_id   TEXT        NOT NULL,
    claimed_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX device_owners_by_agent ON device_owners (agent_id);
