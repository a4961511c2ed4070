package io.benchlink.gateway.agents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.benchlink.common.status.DeviceStatus;
import io.benchlink.common.status.StatusKind;
import io.benchlink.gateway.app.Gateway;
import io.benchlink.gateway.store.EventStore;
import io.benchlink.gateway.store.WriteSession;
import io.benchlink.gateway.store.sqlite.SqliteEventStore;
import io.benchlink.gateway.testing.ForwardingEventStore;
import io.benchlink.gateway.testing.ForwardingWriteSession;
import io.benchlink.gateway.testing.GatewayFixture;
import io.benchlink.gateway.testing.TestAgent;
import io.benchlink.gateway.protocol.CloseCodes;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.java_websocket.exceptions.WebsocketNotConnectedException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14.4: one agent sending at full speed used to fill the store writer's queue, and then every other agent's
 * next status was refused with 1013 ("gateway overloaded"). Now the flooding link is refused once it holds more
 * than its share of a half-full queue, and an agent sending at a modest rate keeps its link and gets its acks.
 *
 * <p>The store is the real SQLite store, with its commits held back on a latch for a while (a disk that stalls),
 * so the queue fills deterministically however fast this machine is.
 */
@Timeout(180)
class WriterShareIT {
    private static final int FLOOD = 70_000; // more than the writer's whole queue (65,536)
    @TempDir
    Path dir;
    private Gateway gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void anAgentAtFullSpeedIsHeldToItsShareAndAModestAgentKeepsFlowing() throws Exception {
        CountDownLatch disk = new CountDownLatch(1);
        StalledDisk stalled = new StalledDisk();
        gateway = Gateway.start(GatewayFixture.withPorts(GatewayFixture.defaults(dir), 0, -1),
                c -> new HeldStore(SqliteEventStore.open(c.dataDir()), stalled));
        URI agents = URI.create("ws://127.0.0.1:" + gateway.port() + "/ws/agents");
        TestAgent modest = TestAgent.hello(agents, "rig-modest", null, List.of("bench-m"));
        modest.sendStatus(1, status("bench-m", 1));
        await().atMost(Duration.ofSeconds(30)).until(() -> modest.acked().contains(1L));

        stalled.hold(disk);
        TestAgent flooder = TestAgent.hello(agents, "rig-flood", null, List.of("bench-f"));
        try {
            for (int seq = 1; seq <= FLOOD && flooder.errors().isEmpty() && !flooder.closedYet(); seq++) {
                while (flooder.hasBufferedData() && flooder.errors().isEmpty() && !flooder.closedYet()) {
                    Thread.onSpinWait(); // as fast as the socket takes them, not faster: no backlog in this client
                }
                flooder.sendStatus(seq, status("bench-f", seq));
            }
        } catch (WebsocketNotConnectedException e) {
            // refused meanwhile: the flood is over
        }
        await().atMost(Duration.ofSeconds(90)).until(flooder::closedYet);
        // The error frame comes first, but when the close crosses the flood's frames the kernel may reset the
        // connection and drop both the frame and the close code (1006): then only the close is observable.
        assertThat(flooder.awaitCloseCode()).as("the flooding link is refused").isIn(CloseCodes.TRY_AGAIN_LATER, 1006);

        for (int seq = 2; seq <= 6 && !modest.closedYet(); seq++) { // a modest rate, the queue as the flood left it
            modest.sendStatus(seq, status("bench-m", seq));
            Thread.sleep(50); // pacing the sender, not synchronising
        }
        disk.countDown(); // the disk answers again: the flood's statuses ahead of the modest ones are written first
        await().atMost(Duration.ofSeconds(60)).until(() -> modest.acked().size() == 6 || modest.closedYet());
        assertThat(modest.closedYet()).as("the modest agent's link stays open: %s", modest.errors()).isFalse();
        assertThat(modest.acked()).containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(flooder.errors()).allSatisfy(e -> assertThat(e).contains("share"));
    }

    private static DeviceStatus status(String deviceId, int n) {
        return TestAgent.result(deviceId, StatusKind.SUCCESS, "result " + n);
    }

    /** Holds every commit while a latch is closed: the writer stalls as on a disk that stops answering. */
    private static final class StalledDisk {
        private volatile CountDownLatch latch = new CountDownLatch(0);

        void hold(CountDownLatch until) {
            latch = until;
        }

        void await() {
            try {
                latch.await(120, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The real SQLite store, whose writer session waits for {@link StalledDisk} before each commit. */
    private static final class HeldStore extends ForwardingEventStore {
        private final StalledDisk disk;

        HeldStore(EventStore store, StalledDisk disk) {
            super(store);
            this.disk = disk;
        }

        @Override
        public WriteSession openWriter() {
            return new ForwardingWriteSession(super.openWriter()) {
                @Override
                public void commit(long lastSeq) {
                    disk.await();
                    super.commit(lastSeq);
                }
            };
        }
    }
}
