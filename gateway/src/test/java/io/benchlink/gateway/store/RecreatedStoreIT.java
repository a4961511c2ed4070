package io.benchlink.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.benchlink.common.status.StatusKind;
import io.benchlink.gateway.testing.GatewayFixture;
import io.benchlink.gateway.testing.Subscriber;
import io.benchlink.gateway.testing.TestAgent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14.1 (PROTOCOL.md §2): a 1C client resuming with a {@code since} from an earlier store gets every event the
 * gateway stores after its store was deleted or restored from a backup, and the agent keeps delivering.
 * Real gateways on a real store file, stopped and started on the same data directory.
 */
@Timeout(60)
class RecreatedStoreIT {
    @TempDir
    Path dir;
    @TempDir
    Path backup;
    private GatewayFixture gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    /** Sends agent seqs {@code from..to} as rig-1 and returns the highest gateway seq a subscriber saw. */
    private long deliver(long from, long to, long expectedWelcome) throws Exception {
        Subscriber all = Subscriber.connect(gateway.uri("/ws/devices/all"));
        TestAgent agent = TestAgent.hello(gateway.uri("/ws/agents"), "rig-1", null, List.of());
        assertThat(agent.lastSeq()).as("welcome.last_seq").isEqualTo(expectedWelcome);
        for (long seq = from; seq <= to; seq++) {
            agent.sendStatus(seq, TestAgent.result("bench-1", StatusKind.SUCCESS, "n" + seq));
        }
        int count = (int) (to - from + 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> agent.acked().size() == count && all.count() == count);
        agent.close();
        all.close();
        List<Long> seqs = all.seqs();
        return seqs.get(seqs.size() - 1);
    }

    private void deleteStore() throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
    }

    @Test
    void aSubscriberWithASinceFromADeletedStoreGetsEveryNewEvent() throws Exception {
        gateway = new GatewayFixture(dir).start();
        long oldSince = deliver(1, 5, 0);
        gateway.close();
        deleteStore();

        gateway = new GatewayFixture(dir).start();
        Subscriber resumed = Subscriber.connect(gateway.uri("/ws/devices/all?since=" + oldSince));
        // The agent's spool is newer than the store: acked statuses are gone from it, it goes on with seq 6.
        deliver(6, 8, 0);
        await().atMost(Duration.ofSeconds(10)).until(() -> resumed.count() == 3);
        assertThat(resumed.received()).extracting(o -> o.get("result").getAsString())
                .containsExactly("n6", "n7", "n8");
        assertThat(resumed.seqs()).allSatisfy(seq -> assertThat(seq).isGreaterThan(oldSince)).isSorted();
        resumed.close();
    }

    @Test
    void aSubscriberWithASinceFromBeforeABackupWasRestoredGetsEveryNewEvent() throws Exception {
        gateway = new GatewayFixture(dir).start();
        deliver(1, 2, 0);
        gateway.close(); // a stopped gateway leaves one file behind (the write-ahead log is checkpointed)
        Path db = dir.resolve(io.benchlink.gateway.store.sqlite.SqliteEventStore.FILE_NAME);
        Files.copy(db, backup.resolve("copy.db"));

        gateway = new GatewayFixture(dir).start();
        long oldSince = deliver(3, 5, 2);
        gateway.close();
        deleteStore();
        Files.copy(backup.resolve("copy.db"), db, StandardCopyOption.REPLACE_EXISTING);

        gateway = new GatewayFixture(dir).start();
        Subscriber resumed = Subscriber.connect(gateway.uri("/ws/devices/all?since=" + oldSince));
        // The store is older than the agent's spool: welcome says 2, the agent goes on with 6 (3-5 were acked).
        deliver(6, 7, 2);
        await().atMost(Duration.ofSeconds(10)).until(() -> resumed.count() == 2);
        assertThat(resumed.received()).extracting(o -> o.get("result").getAsString()).containsExactly("n6", "n7");
        resumed.close();
    }
}
