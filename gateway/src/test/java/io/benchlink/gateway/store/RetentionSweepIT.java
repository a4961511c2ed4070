package io.benchlink.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.benchlink.common.status.DeviceStatus;
import io.benchlink.common.status.StatusKind;
import io.benchlink.common.testing.TestClock;
import io.benchlink.common.time.WallClock;
import io.benchlink.gateway.store.sqlite.SqliteEventStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Issue 18: the retention sweep deletes in bounded chunks between batches, so statuses never wait for all of it. */
@Timeout(60)
class RetentionSweepIT {
    private static final int EXPIRED = 2 * StoreWriter.PURGE_CHUNK + 500;
    @TempDir
    Path dir;
    private final TestClock clock = new TestClock(Instant.parse("2026-01-10T08:00:00Z"));
    private final AtomicInteger commits = new AtomicInteger();
    private final AtomicLong leftWhenFreshStored = new AtomicLong(-1);
    private EventStore store;
    private StoreWriter writer;

    @AfterEach
    void close() {
        writer.close();
        store.close();
    }

    @Test
    void aStatusQueuedBehindTheSweepIsStoredBeforeTheSweepHasDeletedEverythingExpired() throws Exception {
        store = SqliteEventStore.open(dir);
        // Runs on the writer thread right after the fresh status's batch committed, before any later batch.
        writer = new StoreWriter(store, new WallClock(clock), Duration.ofDays(30), 1000, events -> {
            if (events.stream().anyMatch(e -> e.deviceId().equals("new"))) {
                leftWhenFreshStored.set(store.eventCount());
            }
            if (events.stream().anyMatch(e -> e.deviceId().equals("gate"))) {
                awaitGate(); // holds the writer so that the sweep and the fresh status are queued together
            }
        });
        writer.observeCommitTime(nanos -> commits.incrementAndGet());
        writer.start();
        CompletableFuture<StoredEvent> last = null;
        for (int i = 0; i < EXPIRED; i++) {
            last = submit("old-" + (i % 50));
        }
        last.get(20, TimeUnit.SECONDS);
        clock.advance(Duration.ofDays(31));
        int commitsBefore = commits.get();

        CompletableFuture<StoredEvent> gate = submit("gate");
        await().atMost(Duration.ofSeconds(20)).until(() -> holding.getCount() == 0);
        assertThat(writer.submit(new WriteCommand.Purge())).isTrue();
        CompletableFuture<StoredEvent> queuedBehind = submit("new");
        gateOpen.countDown();
        gate.get(10, TimeUnit.SECONDS);
        StoredEvent fresh = queuedBehind.get(10, TimeUnit.SECONDS);

        // The fresh status shared the sweep's first batch: at most one chunk was gone when it was durable.
        // the receipt completes before the commit listener has run: wait for the listener's reading
        await().atMost(Duration.ofSeconds(10)).until(() -> leftWhenFreshStored.get() >= 0);
        assertThat(leftWhenFreshStored.get()).isGreaterThanOrEqualTo(EXPIRED - StoreWriter.PURGE_CHUNK + 1L);
        await().atMost(Duration.ofSeconds(20)).until(() -> store.eventCount() == 2); // the gate and the fresh one
        assertThat(store.oldestSeq()).isLessThan(fresh.seq());
        assertThat(commits.get() - commitsBefore).as("batches the sweep took").isGreaterThanOrEqualTo(3);
    }

    private final CountDownLatch holding = new CountDownLatch(1);
    private final CountDownLatch gateOpen = new CountDownLatch(1);

    private void awaitGate() {
        holding.countDown();
        try {
            gateOpen.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private CompletableFuture<StoredEvent> submit(String device) {
        DeviceStatus status = new DeviceStatus("AA:BB:CC:00:00:01", "SN-1", StatusKind.SUCCESS,
                new WallClock(clock).now(), new WallClock(clock).now(), new WallClock(clock).now(), "ok", device, 0);
        CompletableFuture<StoredEvent> done = new CompletableFuture<>();
        assertThat(writer.submit(new WriteCommand.ClientStatus(null, status, done))).isTrue();
        return done;
    }
}
