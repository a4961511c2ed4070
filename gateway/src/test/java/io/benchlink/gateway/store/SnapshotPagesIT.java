package io.benchlink.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.benchlink.gateway.app.Gateway;
import io.benchlink.gateway.store.sqlite.SeededDevices;
import io.benchlink.gateway.store.sqlite.SqliteEventStore;
import io.benchlink.gateway.testing.GatewayFixture;
import io.benchlink.gateway.testing.Subscriber;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18: a {@code snapshot=true} subscriber gets every device in seq order, read from the store a page at a time
 * in that order (not all devices read and sorted before the first entry leaves), then live events.
 */
@Timeout(60)
class SnapshotPagesIT {
    private static final int DEVICES = 2_500;

    @TempDir
    Path dir;

    private static Long[] allSeqs() {
        return LongStream.rangeClosed(1, DEVICES).boxed().toArray(Long[]::new);
    }

    @Test
    void theSnapshotIsReadAPageAtATimeInSeqOrderAndArrivesWholeWithoutDuplicates() throws Exception {
        SeededDevices.seed(dir, DEVICES); // seq order is the reverse of id order
        PageRecordingStore[] store = new PageRecordingStore[1];
        try (Gateway gateway = Gateway.start(GatewayFixture.defaults(dir),
                c -> store[0] = new PageRecordingStore(SqliteEventStore.open(c.dataDir())))) {
            store[0].forget(); // the start-up's own read
            Subscriber subscriber = Subscriber.connect(
                    URI.create("ws://127.0.0.1:" + gateway.port() + "/ws/devices/all?snapshot=true"));
            await().atMost(Duration.ofSeconds(30)).failFast("closed", subscriber::isClosedYet)
                    .until(() -> subscriber.count() == DEVICES);

            assertThat(subscriber.seqs()).containsExactly(allSeqs());
            assertThat(subscriber.received().get(0).get("device_id").getAsString()).isEqualTo("dev-02500");
            assertThat(store[0].largestDeviceRead()).as("devices read by one store call").isLessThanOrEqualTo(1000);
            subscriber.close();
        }
    }

    @Test
    void withSinceOnlyDevicesWhoseLastStatusIsAtOrBelowItAreInTheSnapshot() throws Exception {
        SeededDevices.seed(dir, DEVICES);
        try (Gateway gateway = Gateway.start(GatewayFixture.defaults(dir))) {
            Subscriber subscriber = Subscriber.connect(
                    URI.create("ws://127.0.0.1:" + gateway.port() + "/ws/devices/all?snapshot=true&since=1200"));
            // snapshot: seqs 1..1200 (two pages' reads bounded by since); then the replay of 1201..2500
            await().atMost(Duration.ofSeconds(30)).failFast("closed", subscriber::isClosedYet)
                    .until(() -> subscriber.count() == DEVICES);
            assertThat(subscriber.seqs()).containsExactly(allSeqs());
            subscriber.close();
        }
    }
}
