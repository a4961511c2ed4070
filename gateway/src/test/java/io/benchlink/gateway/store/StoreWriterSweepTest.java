package io.benchlink.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.benchlink.common.status.DeviceStatus;
import io.benchlink.common.status.StatusKind;
import io.benchlink.common.testing.TestClock;
import io.benchlink.common.time.WallClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Issue 18: the writer's retention sweep on a store whose deletes are slow (a simulated disk: each deleted event
 * costs 100 µs of the sweep's clock). A purge only starts the sweep; every chunk, the first included, is a batch of
 * its own, sized to the time budget, so no chunk holds the writer for 50 ms, and chunks come only when due.
 */
class StoreWriterSweepTest {
    private static final long NANOS_PER_EVENT = TimeUnit.MICROSECONDS.toNanos(100);
    private final TestClock time = new TestClock(Instant.parse("2026-03-02T08:00:00Z"));
    private final AtomicLong nanos = new AtomicLong();
    private final List<Long> chunkNanos = new ArrayList<>();
    /** What each commit held: the events appended and the events purged in its batch. */
    private final List<String> batches = new ArrayList<>();
    private long expired = 100_000;
    private long commitNanos;
    private boolean failNextCommit;

    /** Deletes from a pile of {@code expired} events, advancing the sweep's clock by what that would take. */
    private final MemoryWriteSession session = new MemoryWriteSession() {
        private int appended;
        private int purged;

        @Override
        public void append(StoredEvent event, String result, String agentId, long agentSeq, long storedMillis) {
            appended++;
            super.append(event, result, agentId, agentSeq, storedMillis);
        }

        @Override
        public int purge(long olderThanMillis, int limit) {
            int deleted = (int) Math.min(limit, expired);
            expired -= deleted;
            purged += deleted;
            nanos.addAndGet(deleted * NANOS_PER_EVENT);
            chunkNanos.add(deleted * NANOS_PER_EVENT);
            return deleted;
        }

        @Override
        public void commit(long newLastSeq) {
            nanos.addAndGet(commitNanos);
            if (failNextCommit) {
                failNextCommit = false;
                throw new StoreException("disk I/O error", null);
            }
            batches.add(appended + " appended, " + purged + " purged");
            appended = 0;
            purged = 0;
            super.commit(newLastSeq);
        }

        @Override
        public void rollback() {
            expired += purged; // nothing of the batch happened
            appended = 0;
            purged = 0;
            super.rollback();
        }
    };
    private final StoreWriter writer = new StoreWriter(session, new WallClock(time), Duration.ofDays(30), 100,
            events -> { }, nanos::get);

    @Test
    void aPurgeOnlyStartsTheSweepAndTheFirstChunkIsABatchOfItsOwn() {
        WriteCommand.Publish status = new WriteCommand.Publish(List.of(DeviceStatus.link("bench-1",
                StatusKind.ONLINE, "r", new WallClock(time).now())), (device, state) -> true);
        writer.apply(List.of(status, new WriteCommand.Purge()));
        assertThat(batches).containsExactly("1 appended, 0 purged");
        assertThat(writer.sweepDue()).isTrue();

        writer.continueSweep();
        assertThat(batches).containsExactly("1 appended, 0 purged", "0 appended, " + SweepPace.FIRST_CHUNK + " purged");
    }

    @Test
    void noChunkHoldsTheWriterForMoreThanTheBudgetOnASlowDiskTheFirstIncluded() {
        writer.apply(List.of(new WriteCommand.Purge()));
        for (int i = 0; i < 50; i++) {
            assertThat(writer.sweepDue()).isTrue();
            writer.continueSweep();
            nanos.addAndGet(TimeUnit.SECONDS.toNanos(1));
        }
        assertThat(chunkNanos).hasSize(50)
                .allSatisfy(took -> assertThat(took).isLessThanOrEqualTo(SweepPace.BUDGET_NANOS));
        assertThat(writer.sweepChunk()).isEqualTo(100); // 10 ms at 100 µs each
    }

    @Test
    void aChunkIsSizedByItsWholeBatchIncludingTheCommitThatWritesItsPages() {
        writer.apply(List.of(new WriteCommand.Purge()));
        writer.continueSweep(); // 100 in 10 ms
        commitNanos = TimeUnit.MILLISECONDS.toNanos(10); // and writing the changed pages at commit costs 10 ms more
        nanos.addAndGet(TimeUnit.SECONDS.toNanos(1));
        writer.continueSweep(); // 100 events: 10 ms of delete + 10 ms of commit
        assertThat(chunkNanos).hasSize(2);
        assertThat(writer.sweepChunk()).as("10 ms' worth of the 20 ms the chunk held the writer").isEqualTo(50);
        assertThat(writer.sweepDue()).as("due nine chunk-times later").isFalse();
        nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(179));
        assertThat(writer.sweepDue()).isFalse();
        nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(1));
        assertThat(writer.sweepDue()).isTrue();
    }

    @Test
    void aPurgeDuringASweepDeletesNothingInItsBatch() {
        writer.apply(List.of(new WriteCommand.Purge()));
        writer.continueSweep();
        writer.apply(List.of(new WriteCommand.Purge(), new WriteCommand.Purge()));
        assertThat(chunkNanos).hasSize(1);

        nanos.addAndGet(TimeUnit.SECONDS.toNanos(1));
        writer.apply(List.of(new WriteCommand.Purge(), new WriteCommand.Purge()));
        assertThat(chunkNanos).as("chunks only as batches of their own").hasSize(1);
        writer.continueSweep();
        assertThat(chunkNanos).hasSize(2);
    }

    @Test
    void theSweepEndsWhenAChunkFindsFewerExpiredEventsThanItsSize() {
        expired = 30;
        writer.apply(List.of(new WriteCommand.Purge()));
        writer.continueSweep();
        assertThat(expired).isZero();
        nanos.addAndGet(TimeUnit.SECONDS.toNanos(10));
        assertThat(writer.sweepDue()).as("no sweep in progress").isFalse();
    }

    @Test
    void aChunkThatRolledBackEndsTheSweepUntilTheNextPurge() {
        writer.apply(List.of(new WriteCommand.Purge()));
        failNextCommit = true;
        writer.continueSweep();
        assertThat(expired).as("rolled back").isEqualTo(100_000);
        nanos.addAndGet(TimeUnit.SECONDS.toNanos(10));
        assertThat(writer.sweepDue()).as("no chunk every 50 ms while the store fails").isFalse();

        writer.apply(List.of(new WriteCommand.Purge()));
        assertThat(writer.sweepDue()).isTrue();
        writer.continueSweep();
        assertThat(batches).last().isEqualTo("0 appended, " + SweepPace.FIRST_CHUNK + " purged");
    }
}
