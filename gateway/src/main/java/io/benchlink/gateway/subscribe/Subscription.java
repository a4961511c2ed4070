package io.benchlink.gateway.subscribe;

import io.benchlink.gateway.protocol.CloseCodes;
import io.benchlink.gateway.store.StoredEvent;
import java.util.ArrayDeque;
import java.util.List;

/**
 * One subscriber: its filter, its bounded buffer, and the switch-over from catch-up (snapshot/replay) to live.
 * While catching up, live events wait in {@code pending}; at the switch, anything at or below the last seq
 * already sent is dropped, so the client sees no gap and no duplicate (PROTOCOL.md §2).
 *
 * <p>Owned by: the store writer thread offers live events, the replay thread sends catch-up events; both under
 * this object's lock, which is never held while closing the connection (Java-WebSocket calls back in close).
 */
public final class Subscription {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Subscription.class);
    private final Outlet outlet;
    private final String deviceId;
    private final int bufferLimit;
    private final HubStats stats;
    private final ArrayDeque<FrameBatch> pending = new ArrayDeque<>();
    private int pendingEvents;
    private boolean live;
    private boolean closed;
    private long lastSent;

    Subscription(Outlet outlet, String deviceId, int bufferLimit, HubStats stats) {
        this.outlet = outlet;
        this.deviceId = deviceId;
        this.bufferLimit = bufferLimit;
        this.stats = stats;
    }

    /** The device this subscriber follows, or null for all. */
    public String deviceId() {
        return deviceId;
    }

    Outlet outlet() {
        return outlet;
    }

    /**
     * A live batch from the writer: buffered while catching up, sent once live, minus what was already sent.
     *
     * @param here write it to the socket on this thread ({@link Outlet#flushHere}) rather than hand it to the
     *             network thread
     */
    void offerLive(FrameBatch batch, boolean here) {
        boolean overflow;
        synchronized (this) {
            if (closed) {
                return;
            }
            if (!live) {
                pending.add(batch);
                pendingEvents += batch.size();
                overflow = pendingEvents > bufferLimit;
            } else {
                overflow = !sendLocked(batch);
            }
        }
        if (overflow) {
            fellBehind();
        } else if (here) {
            outlet.flushHere();
        } else {
            outlet.flush();
        }
    }

    /** A catch-up event from the replay thread; false when the subscriber is closed or over its buffer. */
    boolean sendCatchUp(StoredEvent event) {
        return sendCatchUp(List.of(event));
    }

    /** Catch-up events in seq order as one batch (a replay page); false when closed or over its buffer. */
    boolean sendCatchUp(List<StoredEvent> events) {
        boolean ok;
        synchronized (this) {
            if (closed) {
                return false;
            }
            ok = sendLocked(new FrameBatch(events));
        }
        if (ok) {
            stats.replayed.add(events.size());
            outlet.flush();
        } else {
            fellBehind();
        }
        return ok;
    }

    synchronized void startAfter(long seq) {
        lastSent = seq;
    }

    /** Ends catch-up: flushes buffered live events newer than the last one sent, then goes live. */
    void goLive() {
        boolean overflow = false;
        synchronized (this) {
            while (!pending.isEmpty() && !closed) {
                if (!sendLocked(pending.poll())) {
                    overflow = true;
                    break;
                }
            }
            pending.clear();
            pendingEvents = 0;
            live = true;
        }
        if (overflow) {
            fellBehind();
        } else {
            outlet.flush();
        }
    }

    synchronized boolean isClosed() {
        return closed;
    }

    /** Backlog as the replay sees it, to pause paging before the buffer limit is reached. */
    int backlog() {
        return outlet.backlog();
    }

    int bufferLimit() {
        return bufferLimit;
    }

    /** Sends what of {@code batch} is newer than {@code lastSent}; false when it would overflow the buffer. */
    private boolean sendLocked(FrameBatch batch) {
        if (!outlet.isOpen()) {
            closed = true;
            return true;
        }
        if (batch.lastSeq() <= lastSent) {
            return true;
        }
        if (outlet.backlog() + batch.size() > bufferLimit) {
            return false;
        }
        if (batch.firstSeq() > lastSent) {
            outlet.send(batch.combined(), batch.size());
            batch.countDelivered(stats.delivered);
        } else {
            // Part of the batch already went out with the replay: send the rest event by event.
            for (int i = 0; i < batch.size(); i++) {
                if (batch.event(i).seq() > lastSent) {
                    outlet.send(batch.frame(i), 1);
                    stats.delivered.add(batch.event(i).status());
                }
            }
        }
        lastSent = batch.lastSeq();
        return true;
    }

    /** PROTOCOL.md §2: a subscriber over its buffer is closed with 1013 and resumes with since=. */
    private void fellBehind() {
        long resumeFrom;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            pending.clear();
            pendingEvents = 0;
            resumeFrom = lastSent;
        }
        stats.fellBehind.increment();
        LOG.info("{} - subscriber fell behind its buffer of {} messages; closing with 1013", outlet, bufferLimit);
        outlet.close(CloseCodes.TRY_AGAIN_LATER, "subscriber fell behind; reconnect with since=" + resumeFrom);
    }

    void markClosed() {
        synchronized (this) {
            closed = true;
            pending.clear();
            pendingEvents = 0;
        }
    }
}
