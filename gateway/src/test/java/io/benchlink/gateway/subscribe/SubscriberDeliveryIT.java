package io.benchlink.gateway.subscribe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import io.benchlink.common.status.StatusKind;
import io.benchlink.gateway.testing.GatewayFixture;
import io.benchlink.gateway.testing.Subscriber;
import io.benchlink.gateway.testing.TestAgent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class SubscriberDeliveryIT {
    @TempDir
    Path dir;
    GatewayFixture gateway;

    @BeforeEach
    void start() throws Exception {
        gateway = new GatewayFixture(dir).start();
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    @Test
    void deliversEveryStatusToAllAndOnlyItsOwnToADeviceSubscriber() throws Exception {
        Subscriber all = Subscriber.connect(gateway.uri("/ws/devices/all"));
        Subscriber one = Subscriber.connect(gateway.uri("/ws/devices/bench-02"));
        TestAgent agent = TestAgent.hello(gateway.uri("/ws/agents"), "rig-1", null, List.of("bench-01", "bench-02"));
        long seq = 0;
        for (StatusKind kind : StatusKind.values()) {
            agent.sendStatus(++seq, TestAgent.result("bench-01", kind, "r" + seq));
            agent.sendStatus(++seq, TestAgent.result("bench-02", kind, "r" + seq));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> all.count() == 10 && one.count() == 5);
        assertThat(all.received()).extracting(o -> o.get("status").getAsString())
                .containsExactly("success", "success", "fail", "fail", "error", "error", "online", "online",
                        "offline", "offline");
        assertThat(one.received()).allSatisfy(o -> assertThat(o.get("device_id").getAsString()).isEqualTo("bench-02"));
        assertThat(all.seqs()).isSorted().doesNotHaveDuplicates();
        JsonObject first = all.received().get(0);
        assertThat(first.keySet()).containsExactly("mac_address", "serial_number", "status", "time_start",
                "time_end", "updated_at", "result", "device_id", "seq");
        assertThat(first.get("mac_address").getAsString()).isEqualTo("AA:BB:CC:DD:EE:01");
        assertThat(first.get("updated_at").getAsString()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}");
        agent.close();
    }

    @Test
    void snapshotSendsTheLastStatusOfEachMatchingDeviceThenLive() throws Exception {
        TestAgent agent = TestAgent.hello(gateway.uri("/ws/agents"), "rig-1", null, List.of());
        agent.sendStatus(1, TestAgent.result("a", StatusKind.FAIL, "old"));
        agent.sendStatus(2, TestAgent.result("a", StatusKind.SUCCESS, "new"));
        agent.sendStatus(3, TestAgent.result("b", StatusKind.ERROR, "b1"));
        await().until(() -> agent.acked().size() == 3);

        Subscriber all = Subscriber.connect(gateway.uri("/ws/devices/all?snapshot=true"));
        Subscriber justA = Subscriber.connect(gateway.uri("/ws/devices/a?snapshot=true"));
        await().until(() -> all.count() == 2 && justA.count() == 1);
        assertThat(all.received()).extracting(o -> o.get("result").getAsString()).containsExactly("new", "b1");
        assertThat(justA.received().get(0).get("result").getAsString()).isEqualTo("new");

        agent.sendStatus(4, TestAgent.result("a", StatusKind.FAIL, "live"));
        await().until(() -> all.count() == 3 && justA.count() == 2);
        long base = firstSeq() - 1;
        assertThat(all.seqs()).containsExactly(base + 2, base + 3, base + 4);
        agent.close();
    }

    @Test
    void snapshotOfADeviceNeverSeenIsEmptyButTheSubscriptionStaysOpen() throws Exception {
        Subscriber future = Subscriber.connect(gateway.uri("/ws/devices/not-yet?snapshot=true"));
        TestAgent agent = TestAgent.hello(gateway.uri("/ws/agents"), "rig-1", null, List.of());
        agent.sendStatus(1, TestAgent.result("not-yet", StatusKind.ONLINE, null));
        await().until(() -> future.count() == 1);
        assertThat(future.received().get(0).get("result").isJsonNull()).isTrue();
        agent.close();
    }

    @Test
    void sinceReplaySwitchesToLiveWithNoGapAndNoDuplicateWhileStatusesKeepArriving() throws Exception {
        TestAgent agent = TestAgent.hello(gateway.uri("/ws/agents"), "rig-1", null, List.of());
        int total = 3000;
        AtomicBoolean publishing = new AtomicBoolean(true);
        Thread publisher = new Thread(() -> {
            for (int i = 1; i <= total; i++) {
                agent.sendStatus(i, TestAgent.result("d" + (i % 7), StatusKind.SUCCESS, "n" + i));
            }
            publishing.set(false);
        });
        publisher.start();
        await().until(() -> gateway.gateway().store().latestSeq() > 0);
        long base = firstSeq() - 1; // seq starts above the clock's floor (issue 14.1)
        // Subscribers join at different points of the stream, each resuming from a different seq.
        List<Subscriber> late = new ArrayList<>();
        List<Long> froms = new ArrayList<>();
        for (int k = 0; k < 4; k++) {
            long from = base + (gateway.gateway().store().latestSeq() - base) / 2;
            froms.add(from);
            late.add(Subscriber.connect(gateway.uri("/ws/devices/all?since=" + from)));
            await().until(() -> gateway.gateway().store().latestSeq() > from + 200 || !publishing.get());
        }
        publisher.join();
        await().atMost(Duration.ofSeconds(30)).until(() -> agent.acked().size() == total);
        for (int k = 0; k < late.size(); k++) {
            Subscriber s = late.get(k);
            long from = froms.get(k);
            await().atMost(Duration.ofSeconds(20)).until(() -> s.count() == base + total - from);
            assertThat(s.seqs()).as("subscriber %d from %d", k, from)
                    .containsExactlyElementsOf(LongStream.rangeClosed(from + 1, base + total).boxed().toList());
        }
        agent.close();
    }

    @Test
    void replaysMissedEventsAfterAGatewayRestart() throws Exception {
        TestAgent agent = TestAgent.hello(gateway.uri("/ws/agents"), "rig-1", null, List.of());
        for (int i = 1; i <= 50; i++) {
            agent.sendStatus(i, TestAgent.result("bench-" + (i % 3), StatusKind.FAIL, "n" + i));
        }
        await().until(() -> agent.acked().size() == 50);
        agent.close();
        long base = firstSeq() - 1;
        gateway.restart();

        Subscriber resumed = Subscriber.connect(gateway.uri("/ws/devices/bench-1?since=" + (base + 10)));
        TestAgent again = TestAgent.hello(gateway.uri("/ws/agents"), "rig-1", null, List.of());
        assertThat(again.lastSeq()).isEqualTo(50);
        again.sendStatus(51, TestAgent.result("bench-1", StatusKind.SUCCESS, "after restart"));
        await().until(() -> !resumed.received().isEmpty()
                && resumed.received().get(resumed.count() - 1).get("result").getAsString().equals("after restart"));
        List<Long> expected = new ArrayList<>(LongStream.rangeClosed(11, 50).filter(i -> i % 3 == 1)
                .map(i -> base + i).boxed().toList());
        assertThat(resumed.seqs()).startsWith(expected.toArray(Long[]::new)).hasSize(expected.size() + 1);
        // after the restart seq continues above the clock's floor, so above every earlier seq (issue 14.1)
        assertThat(resumed.seqs().get(expected.size())).isGreaterThan(base + 50);
        again.close();
    }

    /** The seq of the first stored event: seq starts above the clock's floor, not at 1 (issue 14.1). */
    private long firstSeq() {
        return gateway.gateway().store().eventsAfter(0, null, 1).get(0).seq();
    }
}
