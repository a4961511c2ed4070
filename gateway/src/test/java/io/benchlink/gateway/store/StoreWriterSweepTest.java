package io.benchlink.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;

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
 * costs 200 µs of the sweep's clock). The first chunk is the fixed first size; every later one is sized to the
 * time budget, so no chunk holds the writer for 50 ms, and chunks come only when due.
 */
class StoreWriterSweepTest {
    private static final long NANOS_PER_EVENT = TimeUnit.MICROSECONDS.toNanos(200);
    private final TestClock time = new TestClock(Instant.parse("2026-03-02T08:00:00Z"));
    private final AtomicLong nanos = new AtomicLong();
    private final List<Long> chunkNanos = new ArrayList<>();
    private long expired = 100_000;

    /** Deletes from a pile of {@code expired} events, advancing the sweep's clock by what that would take. */
    private final MemoryWriteSession session = new MemoryWriteSession() {
        @Override
        public int purge(long olderThanMillis, int limit) {
            int deleted = (int) Math.min(limit, expired);
            expired -= deleted;
            nanos.addAndGet(deleted * NANOS_PER_EVENT);
            chunkNanos.add(deleted * NANOS_PER_EVENT);
            return deleted;
        }

        @Override
        public void commit(long newLastSeq) {
            nanos.addAndGet(commitNanos);
            super.commit(newLastSeq);
        }
    };
    private long commitNanos;
    private final StoreWriter writer = new StoreWriter(session, new WallClock(time), Duration.ofDays(30), 100,
            events -> { }, nanos::get);

    @Test
    void noChunkAfterTheFirstHoldsTheWriterForMoreThanTheBudgetOnASlowDisk() {
        writer.apply(List.of(new WriteCommand.Purge()));
        assertThat(chunkNanos).containsExactly(SweepPace.FIRST_CHUNK * NANOS_PER_EVENT); // 100 ms: too long
        for (int i = 0; i < 50; i++) {
            nanos.addAndGet(TimeUnit.SECONDS.toNanos(1));
            assertThat(writer.sweepDue()).isTrue();
            writer.apply(List.of(new WriteCommand.Purge()));
        }
        assertThat(chunkNanos.subList(1, chunkNanos.size()))
                .allSatisfy(took -> assertThat(took).isLessThanOrEqualTo(SweepPace.BUDGET_NANOS));
        assertThat(writer.sweepChunk()).isEqualTo(100); // 20 ms at 200 µs each
    }

    @Test
    void aChunkBetweenBatchesIsSizedByItsWholeBatchIncludingTheCommitThatWritesItsPages() {
        writer.apply(List.of(new WriteCommand.Purge())); // 500 in 100 ms of delete: the next chunk is 100
        commitNanos = TimeUnit.MILLISECONDS.toNanos(20); // and writing the changed pages at commit costs 20 ms more
        nanos.addAndGet(TimeUnit.SECONDS.toNanos(1));
        writer.continueSweep(); // 100 events: 20 ms of delete + 20 ms of commit
        assertThat(chunkNanos).hasSize(2);
        assertThat(writer.sweepChunk()).as("20 ms' worth of the 40 ms the chunk held the writer").isEqualTo(50);
        assertThat(writer.sweepDue()).as("due three chunk-times later").isFalse();
        nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(120));
        assertThat(writer.sweepDue()).isTrue();
    }

    @Test
    void aPurgeWhileTheNextChunkIsNotDueDeletesNothing() {
        writer.apply(List.of(new WriteCommand.Purge()));
        assertThat(writer.sweepDue()).isFalse();
        writer.apply(List.of(new WriteCommand.Purge(), new WriteCommand.Purge()));
        assertThat(chunkNanos).hasSize(1);

        nanos.addAndGet(3 * SweepPace.FIRST_CHUNK * NANOS_PER_EVENT); // three times the first chunk's time
        assertThat(writer.sweepDue()).isTrue();
        writer.apply(List.of(new WriteCommand.Purge(), new WriteCommand.Purge()));
        assertThat(chunkNanos).as("one chunk per due time, however many purges a batch holds").hasSize(2);
    }

    @Test
    void theSweepEndsWhenAChunkFindsFewerExpiredEventsThanItsSize() {
        expired = 300;
        writer.apply(List.of(new WriteCommand.Purge()));
        assertThat(expired).isZero();
        nanos.addAndGet(TimeUnit.SECONDS.toNanos(10));
        assertThat(writer.sweepDue()).as("no sweep in progress").isFalse();
    }
}
