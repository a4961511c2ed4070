-- Issue 15: offline detection that survives the death of the gateway an agent was on.
-- Times are the database's clock (clock_timestamp()), so gateways with skewed clocks agree on expiry.

-- Each running gateway renews its lease well inside its length; an expired lease means the gateway is gone.
CREATE TABLE gateway_leases (
    gateway_id TEXT PRIMARY KEY,
    expires_at TIMESTAMPTZ NOT NULL
);

-- The current link of each agent: which gateway holds it, the devices its hello listed, and since when it is
-- lost (NULL while connected). A sweep under the seq lock publishes offline once the grace period has passed
-- since the loss (or since the holder's lease expired) and deletes the row in the same transaction: exactly once.
CREATE TABLE agent_links (
    agent_id   TEXT PRIMARY KEY,
    gateway_id TEXT   NOT NULL,
    devices    TEXT[] NOT NULL,
    lost_at    TIMESTAMPTZ
);
