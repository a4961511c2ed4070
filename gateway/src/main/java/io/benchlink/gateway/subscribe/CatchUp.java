package io.benchlink.gateway.subscribe;

import io.benchlink.gateway.store.EventStore;
import io.benchlink.gateway.store.Snapshot;
import io.benchlink.gateway.store.StoredEvent;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings one new subscriber up to date: the snapshot (last status of each matching device), then the replay of
 * stored events after {@code since} page by page, then the switch to live. A page waits while the subscriber's
 * backlog is above half its buffer, so a long replay to a slow client paces itself instead of filling the heap.
 *
 * <p>Owned by: {@code gateway-replay}; each step re-schedules the next one on that executor.
 */
final class CatchUp implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(CatchUp.class);
    private static final int PAGE = 500;
    private static final long PAUSE_MILLIS = 20;

    private final Subscription subscription;
    private final EventStore store;
    private final ScheduledExecutorService executor;
    private final boolean snapshot;
    private final long since;
    private boolean snapshotDone;
    private List<StoredEvent> snapshotEntries; // read once, then sent in pieces as the client reads
    private int snapshotNext;
    private long snapshotHighWater;
    private long cursor;

    CatchUp(Subscription subscription, EventStore store, ScheduledExecutorService executor, boolean snapshot,
            long since) {
        this.subscription = subscription;
        this.store = store;
        this.executor = executor;
        this.snapshot = snapshot;
        this.since = since;
        this.cursor = since;
    }

    @Override
    public void run() {
        try {
            step();
        } catch (RuntimeException e) {
            // The store failed mid-replay: the client cannot be brought up to date, so tell it to retry.
            LOG.warn("catch-up for a subscriber failed ({})", e.getMessage());
            subscription.outlet().close(io.benchlink.gateway.ws.CloseCodes.SERVER_ERROR, "replay failed");
            subscription.markClosed();
        }
    }

    private void step() {
        if (subscription.isClosed()) {
            return;
        }
        if (!snapshotDone) {
            if (snapshot) {
                if (!sendSnapshot()) {
                    return; // closed, or paused until the client has read more
                }
            } else if (since >= 0) {
                subscription.startAfter(since);
            }
            snapshotDone = true;
        }
        if (since < 0) {
            subscription.goLive();
            return;
        }
        if (subscription.backlog() > subscription.bufferLimit() / 2) {
            executor.schedule(this, PAUSE_MILLIS, TimeUnit.MILLISECONDS);
            return;
        }
        // Issue 18: a page goes out as one batch (one buffer, one queue item, one wake-up), not event by event. It
        // is at most half the buffer and is sent only while the backlog is at most half: it never overflows.
        int pageSize = Math.max(1, Math.min(PAGE, subscription.bufferLimit() / 2));
        List<StoredEvent> page = store.eventsAfter(cursor, subscription.deviceId(), pageSize);
        if (!page.isEmpty()) {
            if (!subscription.sendCatchUp(page)) {
                return;
            }
            cursor = page.get(page.size() - 1).seq();
        }
        if (page.size() < pageSize) {
            subscription.goLive();
        } else {
            executor.execute(this);
        }
    }

    /**
     * Sends the snapshot in seq order, paced like the replay (issue 18: 50,000 devices are five times the default
     * buffer, so sending them in one go closed every snapshot subscriber with 1013). The snapshot is read once; true
     * when it is all sent, false when the subscriber closed or the rest waits for the client (re-scheduled).
     */
    private boolean sendSnapshot() {
        if (snapshotEntries == null) {
            Snapshot state = store.snapshot(subscription.deviceId());
            snapshotEntries = state.devices().stream().sorted(Comparator.comparingLong(StoredEvent::seq)).toList();
            snapshotHighWater = state.highWater();
        }
        while (snapshotNext < snapshotEntries.size()) {
            if (subscription.backlog() > subscription.bufferLimit() / 2) {
                executor.schedule(this, PAUSE_MILLIS, TimeUnit.MILLISECONDS);
                return false;
            }
            StoredEvent event = snapshotEntries.get(snapshotNext++);
            // With since=, a device whose last status is newer than since arrives through the replay instead.
            if (since >= 0 && event.seq() > since) {
                continue;
            }
            // Entries go out in seq order; startAfter below then sets where live delivery continues.
            if (!subscription.sendCatchUp(event)) {
                return false;
            }
        }
        snapshotEntries = List.of();
        subscription.startAfter(since >= 0 ? since : snapshotHighWater);
        return true;
    }
}
