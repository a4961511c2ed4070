package io.benchlink.agent.uplink;

import io.benchlink.agent.spool.Spool;
import io.benchlink.agent.spool.SpoolRecord;
import io.benchlink.common.protocol.AgentFrame;
import io.benchlink.common.protocol.StatusFrame;
import java.net.URI;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The spool side of the current link (PROTOCOL.md §3): keeps a window of statuses in flight, read from the spool in seq
 * order, and turns the gateway's acks into spool deletions up to the contiguous acknowledged seq. Refused statuses
 * are held by {@link HeldRefusals}, which shares the window.
 *
 * <p>Threads: the window, the ack floor and the stopping flag are owned by agent-uplink; {@link #sent()} and
 * {@link #acked()} are safe from any thread. Logs under the {@link Uplink} logger, as before the split.
 */
final class SpoolFeed {
    private static final Logger log = LoggerFactory.getLogger(Uplink.class);

    private final Spool spool;
    private final int size;
    private final SendWindow window;
    private final HeldRefusals held;
    private final Predicate<AgentFrame> send; // false: the link is lost (and the uplink has already failed it)
    private final BooleanSupplier connected;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong acked = new AtomicLong();
    private long ackedToSpool;
    private boolean stopping; // a stop is under way: no new statuses go out, only acks come in

    SpoolFeed(Spool spool, int size, SendWindow window, HeldRefusals held, Predicate<AgentFrame> send,
            BooleanSupplier connected) {
        this.spool = spool;
        this.size = size;
        this.window = window;
        this.held = held;
        this.send = send;
        this.connected = connected;
    }

    /** Status frames sent, repeats after a reconnect included (any thread). */
    long sent() {
        return sent.get();
    }

    /** Acks received for statuses in flight (any thread). */
    long acked() {
        return acked.get();
    }

    /** A stop is under way: from now on no new statuses go out. */
    void stop() {
        stopping = true;
    }

    /** A new link was welcomed: the gateway holds everything up to {@code gatewayLastSeq}. */
    void welcomed(long gatewayLastSeq, URI endpoint) throws InterruptedException {
        if (gatewayLastSeq < ackedToSpool) {
            log.warn("uplink - {} reports last seq {} but acknowledged up to {} before; those statuses already left"
                    + " the spool", endpoint, gatewayLastSeq, ackedToSpool);
        }
        spool.syncWithGateway(gatewayLastSeq);
        ackedToSpool = Math.max(ackedToSpool, gatewayLastSeq);
        window.reset(gatewayLastSeq);
        held.welcomed();
    }

    void ack(long seq, URI endpoint) {
        if (window.acked(seq)) {
            acked.incrementAndGet();
            held.acked(seq, endpoint);
            advanceFloor();
        }
        fill();
        held.publish();
    }

    private void advanceFloor() {
        long floor = window.floor();
        if (floor > ackedToSpool) {
            ackedToSpool = floor;
            spool.ackUpTo(floor);
        }
    }

    /** Puts refused statuses that are due (or all, when the link is lost) back into the spool under new seqs. */
    void requeueRefused(boolean all) {
        if (held.requeue(all)) {
            advanceFloor();
            held.publish();
        }
    }

    /**
     * Keeps up to {@code size} statuses in flight, reading the spool in seq order after the last one sent. It
     * refills once a quarter of the window is free, so a busy link reads the spool in chunks, not a row per ack.
     */
    void fill() {
        if (stopping) {
            return;
        }
        int refillAt = size - Math.max(1, size / 4);
        if (window.inFlight() > refillAt) {
            return;
        }
        while (connected.getAsBoolean() && window.inFlight() < size) {
            List<SpoolRecord> records = spool.readAfter(window.lastSent(), size - window.inFlight());
            if (records.isEmpty()) {
                return;
            }
            for (SpoolRecord record : records) {
                if (!send.test(new StatusFrame(record.seq(), record.status()))) {
                    return;
                }
                window.sent(record.seq());
                held.sent(record.seq(), record.status().deviceId());
                sent.incrementAndGet();
            }
        }
    }
}
