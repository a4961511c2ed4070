package io.benchlink.agent.uplink;

import java.util.TreeSet;

/**
 * The statuses sent on the current link and not yet acknowledged, plus the contiguous ack floor: every seq at or
 * below it is acknowledged, so the spool may delete up to it even when acks arrive out of order or seqs have gaps
 * (superseded link statuses dropped by a full spool). Owned by: agent-uplink.
 */
final class SendWindow {
    private final TreeSet<Long> inFlight = new TreeSet<>();
    private long lastSent;

    /** Starts a link: the gateway holds everything up to {@code gatewayLastSeq}. */
    void reset(long gatewayLastSeq) {
        inFlight.clear();
        lastSent = gatewayLastSeq;
    }

    long lastSent() {
        return lastSent;
    }

    int inFlight() {
        return inFlight.size();
    }

    void sent(long seq) {
        inFlight.add(seq);
        lastSent = Math.max(lastSent, seq);
    }

    boolean pending(long seq) {
        return inFlight.contains(seq);
    }

    /** Records an ack; false for a seq not in flight (a repeated ack, or one from before a reconnect). */
    boolean acked(long seq) {
        return inFlight.remove(seq);
    }

    /** Every seq at or below this is acknowledged (or was never sent because it is not in the spool). */
    long floor() {
        return inFlight.isEmpty() ? lastSent : inFlight.first() - 1;
    }
}
