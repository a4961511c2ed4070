package io.benchlink.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.benchlink.common.status.DeviceStatus;
import io.benchlink.common.status.StatusKind;
import io.benchlink.common.testing.TestClock;
import io.benchlink.common.time.WallClock;
import io.benchlink.gateway.testing.ForwardingWriteSession;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The writer's chores around the batches StoreWriterTest covers: the retention sweep in bounded chunks, the failure
 * it reports while commits fail (/healthz, metrics), the commit time it reports, the receipts' flush after a
 * commit, the refusal reasons of implausible seqs and the clock's seq floor. One batch at a time on the test thread.
 */
class StoreWriterChoresTest {
    private static final Duration RETENTION = Duration.ofDays(30);

    private final TestClock time = new TestClock(Instant.parse("2026-03-02T08:00:00Z"));
    private final WallClock clock = new WallClock(time);
    private final List<String> purges = new ArrayList<>();
    private final List<Integer> purgeAnswers = new ArrayList<>();
    private final List<String> receipts = new ArrayList<>();
    private final MemoryWriteSession memory = new MemoryWriteSession();

    /** The in-memory session, with a purge that answers what the test queued and records what it was asked. */
    private final WriteSession session = new ForwardingWriteSession(memory) {
        @Override
        public int purge(long olderThanMillis, int limit) {
            purges.add(Instant.ofEpochMilli(olderThanMillis) + "/" + limit);
            return purgeAnswers.isEmpty() ? 0 : purgeAnswers.remove(0);
        }

        @Override
        public void close() {
            receipts.add("closed");
        }
    };

    private final WriteCommand.Receipt receipt = new WriteCommand.Receipt() {
        @Override
        public void stored(long agentSeq) {
            receipts.add("stored " + agentSeq);
        }

        @Override
        public void failed(long agentSeq, String reason) {
            receipts.add("failed " + agentSeq);
        }

        @Override
        public void flush() {
            receipts.add("flush");
        }
    };

    private final AtomicLong sweepNanos = new AtomicLong();
    private StoreWriter writer;

    private StoreWriter writer() {
        if (writer == null) {
            writer = new StoreWriter(session, clock, RETENTION, 100, events -> { }, sweepNanos::get);
        }
        return writer;
    }

    private WriteCommand.AgentStatus agent(long seq) {
        LocalDateTime now = clock.now();
        return new WriteCommand.AgentStatus("rig-1", seq, new DeviceStatus(null, null, StatusKind.SUCCESS, null, null,
                now, "ok", "bench-1", 0), receipt);
    }

    @Test
    void aSweepDeletesInChunksBeforeOneCutoffFixedWhenItStarts() {
        purgeAnswers.addAll(List.of(StoreWriter.PURGE_CHUNK, 7));
        writer().apply(List.of(new WriteCommand.Purge()));
        assertThat(purges).as("a purge only starts the sweep").isEmpty();
        writer().continueSweep();
        sweepNanos.addAndGet(TimeUnit.SECONDS.toNanos(1));
        assertThat(writer().sweepDue()).as("a full chunk leaves the sweep running").isTrue();

        time.advance(Duration.ofHours(1));
        writer().continueSweep();
        sweepNanos.addAndGet(TimeUnit.SECONDS.toNanos(1));
        assertThat(writer().sweepDue()).as("a short chunk ends the sweep").isFalse();

        time.advance(Duration.ofHours(1));
        writer().apply(List.of(new WriteCommand.Purge()));
        writer().continueSweep();
        assertThat(purges).extracting(purge -> purge.substring(0, purge.indexOf('/')))
                .containsExactly("2026-01-31T08:00:00Z", "2026-01-31T08:00:00Z", "2026-01-31T10:00:00Z");
        assertThat(purges.get(0)).endsWith("/" + StoreWriter.PURGE_CHUNK);
    }

    @Test
    void aChunkOneShortOfFullEndsTheSweep() {
        purgeAnswers.add(StoreWriter.PURGE_CHUNK - 1);
        writer().apply(List.of(new WriteCommand.Purge()));
        writer().continueSweep();

        assertThat(writer().queueDepth()).isZero();
        sweepNanos.addAndGet(TimeUnit.SECONDS.toNanos(1));
        assertThat(writer().sweepDue()).isFalse();
    }

    @Test
    void aStoppedWriterQueuesNoFurtherChunk() {
        purgeAnswers.add(StoreWriter.PURGE_CHUNK);
        writer().close();
        writer().apply(List.of(new WriteCommand.Purge()));

        assertThat(writer().queueDepth()).isZero();
        assertThat(writer().submit(new WriteCommand.Purge())).isFalse();
        assertThat(receipts).contains("closed");
    }

    @Test
    void aFailedCommitIsReportedUntilACommitStoresAnEventAgain() {
        memory.failNextCommits = 1;
        writer().apply(List.of(agent(1)));
        assertThat(writer().failure()).hasValue("store commit failed (disk full)");
        assertThat(writer().failedCommits()).isEqualTo(1);

        writer().apply(List.of(new WriteCommand.NewLink("rig-2")));
        assertThat(writer().failure()).as("an empty batch proves nothing").isPresent();

        writer().apply(List.of(agent(1)));
        assertThat(writer().failure()).isEmpty();
        assertThat(writer().failedCommits()).isEqualTo(1);
        assertThat(receipts).containsExactly("failed 1", "stored 1", "flush");
    }

    @Test
    void eachCommittedBatchReportsItsDurationAndAFailedOneDoesNot() {
        List<Long> durations = new ArrayList<>();
        writer().observeCommitTime(durations::add);
        writer().apply(List.of(agent(1)));
        memory.failNextCommits = 1;
        writer().apply(List.of(agent(2)));

        assertThat(durations).hasSize(1);
        assertThat(durations.get(0)).isNotNegative().isLessThan(Duration.ofMinutes(1).toNanos());
    }

    @Test
    void theWriterSharesItsQueueCapacity() {
        assertThat(writer().queueCapacity()).isEqualTo(65_536);
        assertThat(writer().submit(agent(1))).isTrue();
        assertThat(writer().queueDepth()).isEqualTo(1);
    }

    @Test
    void marksCommittedBeforeTheStartAreWhatAWelcomeReports() {
        memory.agentMarks.put("rig-1", 17L);

        assertThat(writer().agentHighWater("rig-1")).isEqualTo(17);
        assertThat(writer().agentHighWater("rig-9")).isZero();
    }

    @Test
    void implausibleSeqsAreRefusedWithTheirReason() {
        assertThat(StoreWriter.implausible(StoreWriter.MAX_AGENT_SEQ, 0)).isNull();
        assertThat(StoreWriter.implausible(StoreWriter.MAX_AGENT_SEQ + 1, 0))
                .isEqualTo("seq 9007199254740993 is above 9007199254740992; not stored");
        assertThat(StoreWriter.implausible(5 + StoreWriter.MAX_SEQ_JUMP, 5)).isNull();
        assertThat(StoreWriter.implausible(6 + StoreWriter.MAX_SEQ_JUMP, 5)).isEqualTo("seq 1000000006 is more than"
                + " 1000000000 above the last stored seq 5 of this agent; not stored");
        assertThat(StoreWriter.implausible(1 + StoreWriter.MAX_SEQ_JUMP, 0)).as("no mark yet").isNull();
    }

    @Test
    void theSeqFloorIsTheClockInMicrosecondsSinceTheEpoch() {
        assertThat(StoreWriter.seqFloor(Instant.ofEpochSecond(2, 345_678_901))).isEqualTo(2_345_678);
        assertThat(StoreWriter.seqFloor(Instant.ofEpochSecond(-5))).isZero();
    }
}
