package io.benchlink.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.benchlink.common.status.DeviceStatus;
import io.benchlink.common.status.StatusKind;
import io.benchlink.common.testing.TestClock;
import io.benchlink.common.time.WallClock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The writer's own logic, one batch at a time on the test thread (no writer thread, no disk): seq assignment,
 * dedup per agent, what is reported after a commit and what a failed commit leaves behind.
 */
class StoreWriterTest {
    private final TestClock time = new TestClock(Instant.parse("2026-03-02T08:00:00Z"));
    private final WallClock clock = new WallClock(time);
    private final MemoryWriteSession session = new MemoryWriteSession();
    private final List<StoredEvent> published = new ArrayList<>();
    private final List<String> receipts = new ArrayList<>();
    private StoreWriter writer;

    private StoreWriter writer() {
        if (writer == null) {
            writer = new StoreWriter(session, clock, Duration.ofDays(30), 100, published::addAll);
        }
        return writer;
    }

    private final WriteCommand.Receipt receipt = new WriteCommand.Receipt() {
        @Override
        public void stored(long agentSeq) {
            receipts.add("stored " + agentSeq);
        }

        @Override
        public void failed(long agentSeq, String reason) {
            receipts.add("failed " + agentSeq);
        }
    };

    private WriteCommand.AgentStatus agent(String agentId, long seq) {
        LocalDateTime now = clock.now();
        DeviceStatus status = new DeviceStatus("AA:BB:CC:DD:EE:01", "SN-" + seq, StatusKind.SUCCESS, now, now, now,
                "result " + seq, "bench-1", 0);
        return new WriteCommand.AgentStatus(agentId, seq, status, receipt);
    }

    private void batch(WriteCommand... commands) {
        writer().apply(List.of(commands));
    }

    /** The clock's seq floor at the test's start time. */
    private long floor() {
        return StoreWriter.seqFloor(time.instant());
    }

    @Test
    void eachStoredStatusGetsTheNextSeqAboveTheCommittedOneAndIsPublishedInOrderAfterTheCommit() {
        long committed = floor() + 41;
        session.lastSeq = committed;
        batch(agent("rig-1", 1), agent("rig-1", 2), agent("rig-2", 1));

        assertThat(published).extracting(StoredEvent::seq)
                .containsExactly(committed + 1, committed + 2, committed + 3);
        assertThat(session.events).extracting(StoredEvent::seq)
                .containsExactly(committed + 1, committed + 2, committed + 3);
        assertThat(session.lastSeq).isEqualTo(committed + 3);
        assertThat(session.commits).as("one batch, one commit").isEqualTo(1);
        assertThat(receipts).containsExactly("stored 1", "stored 2", "stored 1");
    }

    @Test
    void aNewStoreStartsSeqAboveTheClockInMicroseconds() {
        batch(agent("rig-1", 1));

        assertThat(floor()).isEqualTo(Instant.parse("2026-03-02T08:00:00Z").toEpochMilli() * 1000);
        assertThat(published).extracting(StoredEvent::seq).containsExactly(floor() + 1);
        assertThat(floor()).as("exact in JavaScript").isLessThan(1L << 53);
    }

    @Test
    void aRestartedWriterIssuesSeqsAboveEveryOneAnEarlierStoreIssued() {
        batch(agent("rig-1", 1), agent("rig-1", 2), agent("rig-1", 3));
        long earlierStoresLast = session.lastSeq;
        time.advance(Duration.ofSeconds(1));
        MemoryWriteSession recreated = new MemoryWriteSession(); // the data directory was lost
        List<StoredEvent> after = new ArrayList<>();
        new StoreWriter(recreated, clock, Duration.ofDays(30), 100, after::addAll).apply(List.of(agent("rig-1", 4)));

        assertThat(after).extracting(StoredEvent::seq).allSatisfy(seq -> assertThat(seq).isGreaterThan(
                earlierStoresLast));
    }

    @Test
    void aStoreAheadOfTheClockContinuesFromItsOwnLastSeq() {
        session.lastSeq = floor() + 5_000_000; // the clock was set back since
        batch(agent("rig-1", 1));

        assertThat(published).extracting(StoredEvent::seq).containsExactly(floor() + 5_000_001);
    }

    @Test
    void aRepeatedAgentSeqIsAcknowledgedAgainButStoredOnce() {
        batch(agent("rig-1", 1), agent("rig-1", 2));
        batch(agent("rig-1", 2), agent("rig-1", 1), agent("rig-1", 3));

        assertThat(session.events).hasSize(3);
        assertThat(receipts).containsExactly("stored 1", "stored 2", "stored 2", "stored 1", "stored 3");
        assertThat(writer.agentHighWater("rig-1")).isEqualTo(3);
    }

    @Test
    void marksLoadedFromTheStoreDeduplicateAfterARestart() {
        session.agentMarks.put("rig-1", 10L);
        batch(agent("rig-1", 10), agent("rig-1", 11));

        assertThat(session.events).hasSize(1);
        assertThat(writer.agentHighWater("rig-1")).isEqualTo(11);
    }

    @Test
    void theWelcomeMarkIsTheCommittedOneNeverOneOfAFailedBatch() {
        batch(agent("rig-1", 1));
        session.failNextCommits = 1;
        batch(agent("rig-1", 2));

        assertThat(receipts).containsExactly("stored 1", "failed 2");
        assertThat(writer.agentHighWater("rig-1")).isEqualTo(1);
        assertThat(published).hasSize(1);
    }

    @Test
    void aFailedCommitGivesItsSeqsBackAndTheResendIsStored() {
        session.failNextCommits = 1;
        batch(agent("rig-1", 1));
        batch(new WriteCommand.NewLink("rig-1"), agent("rig-1", 1));

        assertThat(receipts).containsExactly("failed 1", "stored 1");
        assertThat(session.events).extracting(StoredEvent::seq).containsExactly(floor() + 1);
    }

    @Test
    void statusesBehindAFailedOneWaitForItsResend() {
        session.failNextCommits = 1;
        batch(agent("rig-1", 1));
        batch(agent("rig-1", 2)); // queued behind 1 on the same link: storing it would make 1's resend a duplicate
        batch(agent("rig-1", 1), agent("rig-1", 2));

        assertThat(receipts).containsExactly("failed 1", "failed 2", "stored 1", "stored 2");
        assertThat(session.events).hasSize(2);
    }

    @Test
    void anotherAgentIsNotHeldBackByOnesFence() {
        session.failNextCommits = 1;
        batch(agent("rig-1", 1));
        batch(agent("rig-2", 5));

        assertThat(receipts).containsExactly("failed 1", "stored 5");
    }

    @Test
    void aPublishGuardSeesTheDevicesLastStateIncludingEarlierCommandsOfTheSameBatch() {
        List<WriteSession.DeviceState> seen = new ArrayList<>();
        DeviceStatus offline = DeviceStatus.link("bench-1", StatusKind.OFFLINE, "gone", clock.now());
        batch(agent("rig-1", 1), new WriteCommand.Publish(List.of(offline), (device, last) -> seen.add(last)));

        assertThat(seen).containsExactly(new WriteSession.DeviceState(StatusKind.SUCCESS, "result 1"));
        assertThat(published).extracting(StoredEvent::status).containsExactly(StatusKind.SUCCESS, StatusKind.OFFLINE);
    }

    @Test
    void aStatusTheGuardRefusesIsNotStored() {
        DeviceStatus offline = DeviceStatus.link("bench-1", StatusKind.OFFLINE, "gone", clock.now());
        batch(new WriteCommand.Publish(List.of(offline), (device, last) -> false));

        assertThat(session.events).isEmpty();
        assertThat(published).isEmpty();
    }

    @Test
    void aFailedBatchsDeviceStatesAreForgotten() {
        session.failNextCommits = 1;
        batch(agent("rig-1", 1));
        List<WriteSession.DeviceState> seen = new ArrayList<>();
        DeviceStatus online = DeviceStatus.link("bench-1", StatusKind.ONLINE, "back", clock.now());
        batch(new WriteCommand.Publish(List.of(online), (device, last) -> seen.add(last) && false));

        assertThat(seen).containsOnlyNulls().hasSize(1);
    }

    @Test
    void aRetriedIdempotencyKeyGetsTheFirstEventBackWithinOneBatchToo() throws Exception {
        CompletableFuture<StoredEvent> first = new CompletableFuture<>();
        CompletableFuture<StoredEvent> again = new CompletableFuture<>();
        DeviceStatus status = DeviceStatus.link("bench-1", StatusKind.ONLINE, "r", clock.now());
        batch(new WriteCommand.ClientStatus("key-1", status, first), new WriteCommand.ClientStatus("key-1", status,
                again));

        assertThat(again.get()).isEqualTo(first.get());
        assertThat(session.events).hasSize(1);
    }

    @Test
    void aFailedPostIsReportedAsAnExceptionNotAnEvent() {
        session.failNextCommits = 1;
        CompletableFuture<StoredEvent> done = new CompletableFuture<>();
        batch(new WriteCommand.ClientStatus(null, DeviceStatus.link("bench-1", StatusKind.ONLINE, "r", clock.now()),
                done));

        assertThat(done).isCompletedExceptionally();
        assertThat(published).isEmpty();
    }
}
