package io.benchlink.agent.uplink;

/** Where the uplink stands, for the agent's status line and logs. */
public enum LinkState {
    /** Not started yet. */
    IDLE,
    /** Opening a connection, saying hello, waiting for welcome. */
    CONNECTING,
    /** Welcomed: statuses flow. */
    CONNECTED,
    /** Waiting before the next attempt after a failure or refusal. */
    BACKOFF,
    /** Closed for good. */
    STOPPED
}
