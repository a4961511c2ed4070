package io.benchlink.gateway.store.postgres;

import static io.benchlink.gateway.store.postgres.PostgresWriteSessionTest.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.benchlink.gateway.store.StoredEvent;
import io.benchlink.gateway.store.WriteSession;
import io.benchlink.gateway.testing.CapturedLogs;
import io.benchlink.gateway.testing.PostgresDatabase;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The shared log's feed to this gateway's subscribers, against a real server: every event after its start, in seq
 * order, each once, in pages; woken by a commit's NOTIFY or a local wake (tested with a poll too long to help), read
 * by seq by its poll when a notification was missed, and reading again after the store failed.
 */
@Timeout(60)
class EventFeedTest {
    private static final Duration NEVER = Duration.ofHours(1);
    private final List<List<Long>> pages = new CopyOnWriteArrayList<>();
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

    private void sink(List<StoredEvent> page) {
        pages.add(page.stream().map(StoredEvent::seq).toList());
    }

    private List<Long> delivered() {
        return pages.stream().flatMap(List::stream).toList();
    }

    private void commit(int count) {
        try (WriteSession session = store.openWriter()) {
            long seq = session.begin();
            for (int i = 0; i < count; i++) {
                seq++;
                session.append(event(seq, "bench-" + i % 7), null, null, 0, 1_000);
            }
            session.commit(seq);
        }
    }

    static Set<Thread> threads() {
        return Thread.getAllStackTraces().keySet();
    }

    /** The threads named {@code name} started since {@code before} was taken. */
    static List<Thread> started(Set<Thread> before, String name) {
        return threads().stream().filter(t -> !before.contains(t) && t.getName().equals(name)).toList();
    }

    @Test
    void deliversEveryEventAfterItsStartOnceInSeqOrderInPagesOfAThousand() {
        commit(2);
        try (EventFeed feed = new EventFeed(store, 2, this::sink, NEVER)) {
            feed.start();
            commit(1_001); // its NOTIFY wakes the feed
            await().atMost(Duration.ofSeconds(30)).until(() -> feed.delivered() == 1_003);

            assertThat(delivered()).containsExactlyElementsOf(LongStream.rangeClosed(3, 1_003).boxed().toList());
            assertThat(pages).extracting(List::size).containsExactly(1_000, 1);
        }
    }

    @Test
    void aLocalWakeDeliversWhatCommittedWithoutANotification() {
        try (EventFeed feed = new EventFeed(store, 0, this::sink, NEVER)) {
            feed.start();
            db.execute("INSERT INTO events(seq, device_id, status, json, stored_ms) VALUES (1, 'a', 'fail', '{}', 1)");
            feed.wake();
            await().atMost(Duration.ofSeconds(30)).until(() -> feed.delivered() == 1);
            feed.wake();
            feed.wake(); // wakes while nothing is new deliver nothing twice
            db.execute("INSERT INTO events(seq, device_id, status, json, stored_ms) VALUES (2, 'a', 'fail', '{}', 1)");
            feed.wake();
            await().atMost(Duration.ofSeconds(30)).until(() -> feed.delivered() == 2);
            assertThat(delivered()).containsExactly(1L, 2L);
        }
    }

    @Test
    void itsPollReadsBySeqWhatCommittedWithoutANotificationOrAWake() {
        try (EventFeed feed = new EventFeed(store, 0, this::sink)) {
            feed.start();
            db.execute("INSERT INTO events(seq, device_id, status, json, stored_ms) VALUES (1, 'a', 'fail', '{}', 1)");
            await().atMost(Duration.ofSeconds(30)).until(() -> feed.delivered() == 1);
            assertThat(delivered()).containsExactly(1L);
        }
    }

    @Test
    void keepsReadingAfterTheStoreFailedSayingSoOnceEachWay() {
        try (CapturedLogs logs = new CapturedLogs(); EventFeed feed = new EventFeed(store, 0, this::sink)) {
            feed.start();
            commit(1);
            await().atMost(Duration.ofSeconds(30)).until(() -> feed.delivered() == 1);
            db.execute("ALTER TABLE events RENAME TO events_away");
            await().atMost(Duration.ofSeconds(30)).until(() -> logs.lines().stream()
                    .anyMatch(l -> l.contains("store feed cannot read after seq 1 (")));
            db.execute("ALTER TABLE events_away RENAME TO events");
            commit(2);

            await().atMost(Duration.ofSeconds(30)).until(() -> feed.delivered() == 3);
            assertThat(delivered()).containsExactly(1L, 2L, 3L);
            await().atMost(Duration.ofSeconds(30)).until(() -> feedLines(logs).size() >= 2);
            assertThat(feedLines(logs)).hasSize(2);
            assertThat(feedLines(logs).get(0)).contains("store feed cannot read after seq 1 (");
            assertThat(feedLines(logs).get(1)).contains("store feed reading again from seq");
        }
    }

    private static List<String> feedLines(CapturedLogs logs) {
        return logs.lines().stream().filter(l -> l.contains("store feed")).toList();
    }

    @Test
    void closeStopsTheFeedAndItsListenerAtOnce() {
        Set<Thread> before = threads();
        EventFeed feed = new EventFeed(store, 0, this::sink, NEVER);
        feed.start();
        List<Thread> mine = List.of(started(before, "gateway-store-feed").get(0),
                started(before, "gateway-store-listen").get(0));
        await().atMost(Duration.ofSeconds(30)).until(() -> db.sessions("benchlink-gateway-listen") == 1);

        feed.close();
        assertThat(mine).noneMatch(Thread::isAlive);
        await().atMost(Duration.ofSeconds(30)).until(() -> db.sessions("benchlink-gateway-listen") == 0);
    }
}
