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
        /** Java-WebSocket's code for a connection that never got through its handshake. */
        static final int NEVER_OPENED = -1;
        static final int NO_CLOSE_FRAME = 1006;

        /** One line for the log; the bare codes -1 and 1006 mean nothing to the person reading it. */
        String describe() {
            String why = reason == null || reason.isBlank() ? "" : ": " + reason.strip();
            if (code == NEVER_OPENED) {
                return "could not open the WebSocket (refused, unreachable, TLS or handshake failure)" + why;
            }
            if (code == NO_CLOSE_FRAME) {
                return "link lost without a close frame" + why;
            }
            return "link closed by code " + code + why;
        }
    }

    record Failed(long link, String message) implements UplinkEvent {
    }

    /** The spool committed new records (coalesced: at most one waits in the queue). */
    record SpoolChanged() implements UplinkEvent {
    }

    record Stop() implements UplinkEvent {
    }
}
