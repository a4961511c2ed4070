package io.benchlink.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.benchlink.common.status.DeviceStatus;
import io.benchlink.common.status.StatusKind;
import io.benchlink.common.testing.TestClock;
import io.benchlink.common.time.WallClock;
import io.benchlink.gateway.store.sqlite.SqliteEventStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class StoreWriterIT {
    @TempDir
    Path dir;
    private final TestClock clock = new TestClock(Instant.parse("2026-01-10T08:00:00Z"));
    private final List<StoredEvent> published = new CopyOnWriteArrayList<>();
    private EventStore store;
    private StoreWriter writer;

    private void open() {
        store = SqliteEventStore.open(dir);
        writer = new StoreWriter(store, new WallClock(clock), Duration.ofDays(30), 100, published::addAll);
        writer.start();
    }

    @AfterEach
    void close() {
        writer.close();
        store.close();
    }

    private StoredEvent post(String device, String key) throws Exception {
        DeviceStatus status = DeviceStatus.link(device, StatusKind.ONLINE, "r", new WallClock(clock).now());
        java.util.concurrent.CompletableFuture<StoredEvent> done = new java.util.concurrent.CompletableFuture<>();
        assertThat(writer.submit(new WriteCommand.ClientStatus(key, status, done))).isTrue();
        return done.get(5, TimeUnit.SECONDS);
    }

    @Test
    void retentionDropsOldEventsButKeepsEachDevicesLastStatusAndNeverReusesSeq() throws Exception {
        open();
        post("a", null);
        post("b", null);
        clock.advance(Duration.ofDays(20));
        StoredEvent third = post("a", null);
        clock.advance(Duration.ofDays(15));
        writer.submit(new WriteCommand.Purge());
        await().until(() -> store.eventCount() == 1);
        assertThat(store.oldestSeq()).isEqualTo(third.seq());
        assertThat(store.snapshot(null).devices()).extracting(StoredEvent::deviceId).containsExactly("a", "b");

        clock.advance(Duration.ofDays(40));
        writer.submit(new WriteCommand.Purge());
        await().until(() -> store.eventCount() == 0);
        close();
        clock.advance(Duration.ofDays(-200)); // the clock's seq floor is now below the store's last seq
        open();
        assertThat(post("c", null).seq()).isEqualTo(third.seq() + 1);
    }

    @Test
    void aRetriedIdempotencyKeyStoresAndPublishesOnce() throws Exception {
        open();
        StoredEvent first = post("a", "key-1");
        StoredEvent again = post("a", "key-1");
        assertThat(again).isEqualTo(first);
        assertThat(store.eventCount()).isEqualTo(1);
        assertThat(published).hasSize(1);
        assertThat(post("a", "key-2").seq()).isEqualTo(first.seq() + 1);
    }
}
