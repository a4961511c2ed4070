package io.benchlink.gateway.subscribe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.benchlink.common.status.StatusKind;
import io.benchlink.gateway.store.StoredEvent;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 18: an idle store writer writes a committed batch to a few subscribers itself and hands a larger
 * fan-out's rest to the network thread, those first, so both write at once; a busy one hands all of them over.
 */
class FanOutSplitTest {
    private final ScheduledExecutorService replay = Executors.newSingleThreadScheduledExecutor();
    private final SubscriberHub hub = new SubscriberHub(null, replay, 10_000);
    private final List<String> flushes = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void stop() {
        replay.shutdownNow();
    }

    @Test
    void aSmallFanOutIsWrittenByTheCommittingThreadItself() {
        subscribe(null, 10);

        hub.committed(List.of(event(1, "dev-1")));

        assertThat(flushes).hasSize(10).containsOnly("here");
    }

    @Test
    void aLargeFanOutHandsTheSurplusToTheNetworkThreadFirst() {
        int fanOut = SubscriberHub.WRITES_HERE_PER_BATCH + 5;
        subscribe(null, fanOut - 2);
        subscribe("dev-1", 2);

        hub.committed(List.of(event(1, "dev-1")));

        List<String> expected = new ArrayList<>(Collections.nCopies(5, "network"));
        expected.addAll(Collections.nCopies(SubscriberHub.WRITES_HERE_PER_BATCH, "here"));
        assertThat(flushes).containsExactlyElementsOf(expected);
    }

    /** Subscribes and waits until each is live (going live flushes once); then forgets those flushes. */
    @Test
    void aBusyWriterHandsEverySubscriberToTheNetworkThread() {
        subscribe(null, 3);

        hub.committed(List.of(event(1, "dev-1")), true);

        assertThat(flushes).hasSize(3).containsOnly("network");
    }

    private void subscribe(String deviceId, int count) {
        for (int i = 0; i < count; i++) {
            hub.subscribe(new Recording(), deviceId, false, -1, 1_000);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> flushes.size() == count);
        flushes.clear();
    }

    private static StoredEvent event(long seq, String deviceId) {
        return new StoredEvent(seq, deviceId, StatusKind.SUCCESS, "{\"seq\":" + seq + "}");
    }

    /** Records which way each flush went. */
    private final class Recording implements Outlet {
        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public int backlog() {
            return 0;
        }

        @Override
        public void send(ByteBuffer frames, int messages) {
        }

        @Override
        public void flush() {
            flushes.add("network");
        }

        @Override
        public void flushHere() {
            flushes.add("here");
        }

        @Override
        public void close(int code, String reason) {
        }
    }
}
