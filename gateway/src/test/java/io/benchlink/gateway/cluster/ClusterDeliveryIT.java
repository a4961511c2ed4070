package io.benchlink.gateway.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.benchlink.common.status.DeviceStatus;
import io.benchlink.common.status.StatusKind;
import io.benchlink.gateway.store.StoredEvent;
import io.benchlink.gateway.store.WriteCommand;
import io.benchlink.gateway.testing.PostgresServer;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Two gateways' store sides on one PostgreSQL: one seq order, live delivery across them, shared agent dedup. */
@Timeout(90)
class ClusterDeliveryIT {

    private static DeviceStatus result(String device, int n) {
        return new DeviceStatus("AA:BB:CC:DD:EE:01", "SN-" + n, StatusKind.SUCCESS, null, null, LocalDateTime.now(),
                "result " + n, device, 0);
    }

    /** Acks an agent would get, by agent seq. */
    private static final class Acks implements WriteCommand.Receipt {
        final Set<Long> stored = ConcurrentHashMap.newKeySet();

        @Override
        public void stored(long agentSeq) {
            stored.add(agentSeq);
        }

        @Override
        public void failed(long agentSeq, String reason) {
        }
    }

    private static void send(StoreNode node, String agent, long from, long to, Acks acks) {
        for (long seq = from; seq <= to; seq++) {
            while (!node.writer.submit(new WriteCommand.AgentStatus(agent, seq, result("bench-" + agent, (int) seq),
                    acks))) {
                Thread.onSpinWait();
            }
        }
    }

    @Test
    void aStatusStoredOnOneGatewayReachesASubscriberOfTheOtherInSeqOrder() throws Exception {
        String url = PostgresServer.shared().createDatabase();
        try (StoreNode a = new StoreNode(url, "a"); StoreNode b = new StoreNode(url, "b")) {
            StoreNode.Recorder onA = a.subscribe(-1);
            StoreNode.Recorder onB = b.subscribe(-1);
            List<Long> latencies = new ArrayList<>();
            Acks acks = new Acks();
            for (int i = 1; i <= 30; i++) {
                long sent = System.nanoTime();
                send(i % 2 == 0 ? a : b, i % 2 == 0 ? "rig-a" : "rig-b", i, i, acks);
                int expected = i;
                await().atMost(Duration.ofSeconds(5)).until(() -> onA.seqs.size() == expected
                        && onB.seqs.size() == expected);
                StoreNode.Recorder other = i % 2 == 0 ? onB : onA;
                latencies.add(other.arrivals.get(expected - 1) - sent);
            }
            assertThat(onA.seqs).isEqualTo(onB.seqs).isSorted().doesNotHaveDuplicates();
            latencies.sort(null);
            // The bound is 100 ms, measured by the cluster benchmark (docs/PERFORMANCE.md). Here the median only
            // shows the wake-up path: without it the feed's 1 s poll gives a median near 500 ms. 100 ms was a bound a
            // loaded 2-core machine could miss with the wake-up working.
            assertThat(Duration.ofNanos(latencies.get(latencies.size() / 2))).isLessThan(Duration.ofMillis(300));
        }
    }

    @Test
    void anAgentThatFailsOverIsStoredOnceAndBothGatewaysDeliverTheSameOrder() throws Exception {
        String url = PostgresServer.shared().createDatabase();
        try (StoreNode a = new StoreNode(url, "a"); StoreNode b = new StoreNode(url, "b")) {
            StoreNode.Recorder onA = a.subscribe(0);
            StoreNode.Recorder onB = b.subscribe(0);
            Acks acksA = new Acks();
            Acks acksB = new Acks();
            send(a, "rig-1", 1, 50, acksA);
            // The agent's link to A breaks while A still has part of its queue to write; the agent says hello on B,
            // is told the mark committed so far (PROTOCOL.md §3 welcome.last_seq) and resends from there, racing A.
            long mark = b.shared.store().agentMark("rig-1");
            send(b, "rig-1", mark + 1, 80, acksB);
            await().atMost(Duration.ofSeconds(20)).until(() -> acksA.stored.size() == 50
                    && acksB.stored.size() == 80 - mark);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(List.of(onA.seqs.size(),
                    onB.seqs.size(), a.shared.store().eventCount())).containsExactly(80, 80, 80L));

            assertThat(onA.seqs).isEqualTo(onB.seqs).isSorted().doesNotHaveDuplicates();
            List<StoredEvent> stored = a.shared.store().eventsAfter(0, null, 1_000);
            assertThat(stored.stream().map(e -> e.json().replaceAll(".*\"serial_number\":\"SN-(\\d+)\".*", "$1"))
                    .map(Integer::parseInt).collect(Collectors.toSet())).hasSize(80);
            assertThat(stored).hasSize(80);
            assertThat(b.shared.store().agentMark("rig-1")).isEqualTo(80);
        }
    }
}
