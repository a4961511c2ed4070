package io.benchlink.gateway.subscribe;

import io.benchlink.gateway.protocol.CloseCodes;
import io.benchlink.gateway.store.StoredEvent;
import java.util.ArrayDeque;
import java.util.List;

/**
 * One subscriber: its filter, its bounded buffer, and the switch-over from catch-up (snapshot/replay) to live.
 * While catching up, live events wait in {@code pending}; at the switch, anything at or below the last seq
 * already sent is dropped, so the client sees no gap and no duplicate (PROTOCOL.md §2). Live events that do not
 * fit while catching up (more than the buffer arrive meanwhile, or they do not fit at the switch) are dropped
 * rather than closing the subscriber: they are committed, so the catch-up reads them from the store again at the
 * subscriber's pace. Only a live subscriber over its buffer is closed with 1013.
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
    private boolean missedLive; // live events dropped during the catch-up: it must read the store again
    private long firstMissed; // seq of the first live event ever dropped (0: none)
    private boolean anchored; // lastSent says where this subscriber stands (a since, a snapshot or an event sent)
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
                if (pendingEvents + batch.size() > bufferLimit) {
                    dropPending(pending.isEmpty() ? batch : pending.peek());
                } else {
                    pending.add(batch);
                    pendingEvents += batch.size();
                }
                return;
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
        anchored = true;
    }

    /**
     * Ends catch-up: sends the waiting live events newer than the last one sent, then goes live. False when live
     * events were dropped during the catch-up or do not all fit in the buffer now: the caller reads the store again
     * after {@link #replayFrom()} and then tries again.
     */
    boolean goLive() {
        boolean done;
        synchronized (this) {
            done = !missedLive;
            missedLive = false;
            while (done && !pending.isEmpty() && !closed) {
                if (sendLocked(pending.peek())) {
                    pendingEvents -= pending.poll().size();
                } else {
                    done = false; // they wait on; the replay meanwhile sends them from the store at the client's pace
                }
            }
            live = done;
        }
        outlet.flush();
        return done;
    }

    /** How many live events wait for the switch to live: never more than the buffer. */
    synchronized int waiting() {
        int events = 0;
        for (FrameBatch batch : pending) {
            events += batch.size();
        }
        return events;
    }

    /**
     * Where reading the store continues after {@link #goLive()} said no: after the last event sent (or the since or
     * snapshot bound), or for a subscriber that had none (no since, no snapshot) just before the first event it missed.
     */
    synchronized long replayFrom() {
        return anchored ? lastSent : firstMissed - 1;
    }

    private void dropPending(FrameBatch first) {
        if (firstMissed == 0) {
            firstMissed = first.firstSeq();
        }
        pending.clear();
        pendingEvents = 0;
        missedLive = true;
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
        anchored = true;
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
