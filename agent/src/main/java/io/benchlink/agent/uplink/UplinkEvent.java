package io.benchlink.agent.uplink;

/**
 * What Java-WebSocket callbacks and the spool hand to the agent-uplink thread. Link events carry the number of the
 * connection attempt they belong to, so events of a replaced connection are recognised and ignored.
 */
sealed interface UplinkEvent {
    record Opened(long link) implements UplinkEvent {
    }

    record Text(long link, String text) implements UplinkEvent {
    }

    record Closed(long link, int code, String reason) implements UplinkEvent {
    }

    record Failed(long link, String message) implements UplinkEvent {
    }

    /** The spool committed new records (coalesced: at most one waits in the queue). */
    record SpoolChanged() implements UplinkEvent {
    }

    record Stop() implements UplinkEvent {
    }
}
