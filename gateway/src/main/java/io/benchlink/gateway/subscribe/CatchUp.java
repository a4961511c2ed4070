package io.benchlink.gateway.subscribe;

import io.benchlink.gateway.protocol.CloseCodes;
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
            subscription.outlet().close(CloseCodes.SERVER_ERROR, "replay failed");
            subscription.markClosed();
        }
    }

    private void step() {
        if (subscription.isClosed()) {
            return;
        }
        if (!snapshotDone) {
            snapshotDone = true;
            if (snapshot) {
                if (!sendSnapshot()) {
                    return;
                }
            } else if (since >= 0) {
                subscription.startAfter(since);
            }
        }
        if (since < 0) {
            subscription.goLive();
            return;
        }
        if (subscription.backlog() > subscription.bufferLimit() / 2) {
            executor.schedule(this, PAUSE_MILLIS, TimeUnit.MILLISECONDS);
            return;
        }
        List<StoredEvent> page = store.eventsAfter(cursor, subscription.deviceId(), PAGE);
        for (StoredEvent event : page) {
            if (subscription.backlog() >= subscription.bufferLimit()) {
                // A replay never overflows the buffer itself: it waits for the client, then re-reads from cursor.
                executor.schedule(this, PAUSE_MILLIS, TimeUnit.MILLISECONDS);
                return;
            }
            if (!subscription.sendCatchUp(event)) {
                return;
            }
            cursor = event.seq();
        }
        if (page.size() < PAGE) {
            subscription.goLive();
        } else {
            executor.execute(this);
        }
    }

    private boolean sendSnapshot() {
        Snapshot state = store.snapshot(subscription.deviceId());
        List<StoredEvent> devices = state.devices().stream().sorted(Comparator.comparingLong(StoredEvent::seq)).toList();
        for (StoredEvent event : devices) {
            // With since=, a device whose last status is newer than since arrives through the replay instead.
            if (since >= 0 && event.seq() > since) {
                continue;
            }
            // Entries go out in seq order; startAfter below then sets where live delivery continues.
            if (!subscription.sendCatchUp(event)) {
                return false;
            }
        }
        subscription.startAfter(since >= 0 ? since : state.highWater());
        return true;
    }
}
