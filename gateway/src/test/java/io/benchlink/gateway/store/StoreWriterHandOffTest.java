package io.benchlink.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.benchlink.common.status.DeviceStatus;
import io.benchlink.common.status.StatusKind;
import io.benchlink.common.testing.TestClock;
import io.benchlink.common.time.WallClock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 18: what the writer does right after a commit, in which order. Subscribers are handed the batch before the
 * agents get their acks (the delivery is what the latency target measures); an ack still follows even when the
 * hand-off to subscribers throws, since the batch is durably stored either way.
 */
class StoreWriterHandOffTest {
    private final WallClock clock = new WallClock(new TestClock(Instant.parse("2026-03-02T08:00:00Z")));
    private final List<String> calls = new ArrayList<>();

    private final WriteCommand.Receipt receipt = new WriteCommand.Receipt() {
        @Override
        public void stored(long agentSeq) {
            calls.add("ack " + agentSeq);
        }

        @Override
        public void failed(long agentSeq, String reason) {
            calls.add("failed " + agentSeq);
        }

        @Override
        public void refused(long agentSeq, String deviceId, String reason) {
            calls.add("refused " + agentSeq);
        }
    };

    private WriteCommand.AgentStatus status(long seq) {
        LocalDateTime now = clock.now();
        DeviceStatus status = new DeviceStatus("AA:BB:CC:DD:EE:01", "SN-" + seq, StatusKind.SUCCESS, now, now, now,
                "result " + seq, "bench-1", 0);
        return new WriteCommand.AgentStatus("agent-1", seq, status, receipt);
    }

    @Test
    void subscribersAreHandedTheCommittedBatchBeforeTheAgentsAreAcked() {
        StoreWriter writer = new StoreWriter(new MemoryWriteSession(), clock, Duration.ofDays(30), 100,
                events -> calls.add("publish " + events.size()));

        writer.apply(List.of(status(1), status(2)));

        assertThat(calls).containsExactly("publish 2", "ack 1", "ack 2");
    }

    @Test
    void subscribersAreToldWhetherCommandsAlreadyWaitBehindTheBatch() {
        List<Boolean> busy = new ArrayList<>();
        StoreWriter writer = new StoreWriter(new MemoryWriteSession(), clock, Duration.ofDays(30), 100,
                new StoreWriter.CommitListener() {
                    @Override
                    public void committed(List<StoredEvent> events) {
                        throw new AssertionError("the writer tells whether more waits");
                    }

                    @Override
                    public void committed(List<StoredEvent> events, boolean moreWaiting) {
                        busy.add(moreWaiting);
                    }
                });

        writer.apply(List.of(status(1)));
        writer.submit(status(3));
        writer.apply(List.of(status(2)));

        assertThat(busy).containsExactly(false, true);
    }

    @Test
    void aCommittedBatchIsAckedEvenWhenTheHandOffToSubscribersThrows() {
        StoreWriter writer = new StoreWriter(new MemoryWriteSession(), clock, Duration.ofDays(30), 100, events -> {
            throw new IllegalStateException("a subscriber bug");
        });

        assertThatThrownBy(() -> writer.apply(List.of(status(1)))).hasMessage("a subscriber bug");

        assertThat(calls).containsExactly("ack 1");
    }
}
