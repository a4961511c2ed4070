package io.benchlink.gateway.subscribe;

import io.benchlink.gateway.protocol.CloseCodes;
import io.benchlink.gateway.store.EventStore;
import io.benchlink.gateway.store.Snapshot;
import io.benchlink.gateway.store.StoredEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings one new subscriber up to date: the snapshot (last status of each matching device), then the replay of
 * stored events after {@code since} page by page, then the switch to live. A page waits while the subscriber's
 * backlog is above half its buffer, and the snapshot while it is at its buffer, so a long catch-up to a slow client
 * paces itself instead of filling the heap or closing the client.
 *
 * <p>Owned by: {@code gateway-replay}; each step re-schedules the next one on that executor.
 */
final class CatchUp implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(CatchUp.class);
    private static final int PAGE = 500;
    private static final long PAUSE_MILLIS = 20;
    private static final int SNAPSHOT_PAGE = 1000;

    private final Subscription subscription;
    private final EventStore store;
    private final ScheduledExecutorService executor;
    private final boolean snapshot;
    private final long since;
    private boolean snapshotDone;
    private ArrayDeque<StoredEvent> snapshotLeft; // devices of the page read last not yet sent, oldest first
    private boolean snapshotRead; // the last page of the snapshot has been read
    private long snapshotCursor; // seq of the last device read
    private long snapshotResume; // where the replay or live delivery continues: also the bound of the snapshot
    private long cursor;
    private boolean replaying; // reading events after since, or again after live events the subscriber missed

    CatchUp(Subscription subscription, EventStore store, ScheduledExecutorService executor, boolean snapshot,
            long since) {
        this.subscription = subscription;
        this.store = store;
        this.executor = executor;
        this.snapshot = snapshot;
        this.since = since;
        this.cursor = since;
        this.replaying = since >= 0;
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
            if (snapshot) {
                if (!sendSnapshot()) {
                    return; // paused (re-scheduled) or closed
                }
            } else if (since >= 0) {
                subscription.startAfter(since);
            }
            snapshotDone = true;
        }
        if (!replaying) {
            if (subscription.goLive()) {
                return;
            }
            replayMissed();
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
        if (page.size() < pageSize && subscription.goLive()) {
            return;
        }
        // Not live yet: events it missed are above the cursor (those below it this replay has sent), so read on.
        executor.execute(this);
    }

    /**
     * More live events arrived during the catch-up than the subscriber's buffer holds: they were dropped instead of
     * closing it, and are read from the store (where they were committed before they were offered live) after the
     * last event sent, paced like any replay.
     */
    private void replayMissed() {
        replaying = true;
        cursor = subscription.replayFrom();
    }

    /**
     * Sends the snapshot a part at a time: like the replay, it waits while the subscriber's backlog is at its
     * buffer limit instead of overflowing it (issue 14.4: 1013 for a slow client with many devices). True when done.
     *
     * <p>Issue 18: the devices are read a page at a time in seq order (keyset on seq), so the first entry leaves
     * after one page is read instead of all 50,000 devices, and the heap holds one page. The first page fixes the
     * bound, the high-water seq read with it (or {@code since}): a device whose last status changes later has a seq
     * above the bound and arrives live (or through the replay) instead, once and in seq order.
     */
    private boolean sendSnapshot() {
        if (snapshotLeft == null || (snapshotLeft.isEmpty() && !snapshotRead)) {
            readSnapshotPage();
        }
        while (!snapshotLeft.isEmpty()) {
            int room = subscription.bufferLimit() - subscription.backlog();
            if (room <= 0) {
                executor.schedule(this, PAUSE_MILLIS, TimeUnit.MILLISECONDS);
                return false;
            }
            List<StoredEvent> part = new ArrayList<>();
            while (part.size() < room && part.size() < PAGE && !snapshotLeft.isEmpty()) {
                part.add(snapshotLeft.poll());
            }
            // Entries go out in seq order; startAfter below then sets where live delivery continues.
            if (!subscription.sendCatchUp(part)) {
                return false;
            }
        }
        if (!snapshotRead) {
            executor.execute(this); // the next page after the other subscribers' turns
            return false;
        }
        subscription.startAfter(snapshotResume);
        return true;
    }

    private void readSnapshotPage() {
        if (subscription.deviceId() != null) {
            Snapshot state = store.snapshot(subscription.deviceId());
            // With since=, a device whose last status is newer than since arrives through the replay instead.
            snapshotLeft = new ArrayDeque<>(state.devices().stream()
                    .filter(event -> since < 0 || event.seq() <= since).toList());
            snapshotResume = since >= 0 ? since : state.highWater();
            snapshotRead = true;
            return;
        }
        long bound = snapshotLeft == null ? (since >= 0 ? since : Long.MAX_VALUE) : snapshotResume;
        Snapshot page = store.devicesBySeq(snapshotCursor, bound, SNAPSHOT_PAGE);
        if (snapshotLeft == null) {
            snapshotResume = since >= 0 ? since : page.highWater();
        }
        snapshotLeft = new ArrayDeque<>(page.devices());
        if (!page.devices().isEmpty()) {
            snapshotCursor = page.devices().get(page.devices().size() - 1).seq();
        }
        snapshotRead = page.devices().size() < SNAPSHOT_PAGE;
    }
}
