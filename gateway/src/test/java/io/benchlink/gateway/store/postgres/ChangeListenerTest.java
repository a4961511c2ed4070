package io.benchlink.gateway.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.benchlink.gateway.testing.CapturedLogs;
import io.benchlink.gateway.testing.PostgresDatabase;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The LISTEN side of the change feed, against a real server: it wakes once it listens (for what committed before),
 * on every NOTIFY, and again after it listens anew on a fresh connection when the old one was ended.
 */
@Timeout(60)
class ChangeListenerTest {
    private final AtomicInteger wakes = new AtomicInteger();
    private PostgresDatabase db;
    private PostgresEventStore store;

    @BeforeEach
    void open() {
        db = PostgresDatabase.create();
        store = db.open();
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void wakesOnceItListensAndOnEveryNotification() {
        try (ChangeListener listener = new ChangeListener(store, wakes::incrementAndGet)) {
            listener.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> wakes.get() == 1);
            db.execute("NOTIFY " + PostgresWriteSession.CHANNEL + ", '7'");
            await().atMost(Duration.ofSeconds(30)).until(() -> wakes.get() == 2);
            db.execute("NOTIFY " + PostgresWriteSession.CHANNEL + ", '8'");
            await().atMost(Duration.ofSeconds(30)).until(() -> wakes.get() == 3);
        }
    }

    @Test
    void listensAgainOnAFreshConnectionWhenItsOwnWasEndedSayingSoOnceEachWay() {
        try (CapturedLogs logs = new CapturedLogs();
             ChangeListener listener = new ChangeListener(store, wakes::incrementAndGet)) {
            listener.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> wakes.get() == 1);
            db.terminate("benchlink-gateway-listen");

            await().atMost(Duration.ofSeconds(30)).until(() -> wakes.get() == 2); // for what committed meanwhile
            db.execute("NOTIFY " + PostgresWriteSession.CHANNEL + ", '9'");
            await().atMost(Duration.ofSeconds(30)).until(() -> wakes.get() == 3);
            List<String> lines = logs.lines().stream().filter(l -> l.contains("store notifications")).toList();
            assertThat(lines).hasSize(2);
            assertThat(lines.get(0)).contains("store notifications lost, retrying every 1000 ms (");
            assertThat(lines.get(1)).contains("store notifications back");
        }
    }

    @Test
    void aWakeThatFailsIsLoggedAndTheListenerListensAgain() {
        try (CapturedLogs logs = new CapturedLogs();
             ChangeListener listener = new ChangeListener(store, () -> {
                 if (wakes.incrementAndGet() == 1) {
                     throw new IllegalStateException("a bug in the feed");
                 }
             })) {
            listener.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> wakes.get() == 2);
            assertThat(logs.lines()).anyMatch(l -> l.contains("store listener failed | java.lang.IllegalStateException"));
        }
    }

    @Test
    void closeStopsItsThreadAndEndsItsConnection() {
        Set<Thread> before = EventFeedTest.threads();
        ChangeListener listener = new ChangeListener(store, wakes::incrementAndGet);
        listener.start();
        Thread thread = EventFeedTest.started(before, "gateway-store-listen").get(0);
        await().atMost(Duration.ofSeconds(30)).until(() -> wakes.get() == 1);

        listener.close();
        assertThat(thread.isAlive()).isFalse();
        await().atMost(Duration.ofSeconds(30)).until(() -> db.sessions("benchlink-gateway-listen") == 0);
    }
}
