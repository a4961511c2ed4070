package io.benchlink.gateway.store.postgres;

import static io.benchlink.gateway.store.postgres.PostgresWriteSessionTest.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.benchlink.gateway.store.StoredEvent;
import io.benchlink.gateway.store.WriteSession;
import io.benchlink.gateway.testing.PostgresDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The composition root's view of a shared store: one store, its feed to the subscribers, closed together. */
@Timeout(60)
class SharedStoreTest {
    private PostgresDatabase db;

    @BeforeEach
    void open() {
        db = PostgresDatabase.create();
    }

    @AfterEach
    void close() {
        db.close();
    }

    private static List<StoredEvent> commit(SharedStore shared, String... devices) {
        List<StoredEvent> events = new ArrayList<>();
        try (WriteSession session = shared.store().openWriter()) {
            long seq = session.begin();
            for (String device : devices) {
                StoredEvent e = event(++seq, device);
                session.append(e, null, null, 0, 1_000);
                events.add(e);
            }
            session.commit(seq);
        }
        return events;
    }

    @Test
    void feedsTheSubscribersEveryEventCommittedAfterTheFeedStartedAndClosesFeedAndStoreTogether() {
        Set<Thread> before = EventFeedTest.threads();
        List<StoredEvent> received = new CopyOnWriteArrayList<>();
        SharedStore shared = SharedStore.open(db.url(), Map.of());
        try {
            assertThat(shared.postgres()).isSameAs(shared.store()).isNotNull();
            assertThat(shared.store().location()).isEqualTo(db.url());
            shared.wakeFeed().committed(commit(shared, "bench-1")); // before the feed: nothing to wake
            assertThat(shared.delivered()).isZero();

            shared.startFeed(received::addAll);
            List<StoredEvent> later = commit(shared, "bench-1", "bench-2");
            shared.wakeFeed().committed(later);
            await().atMost(Duration.ofSeconds(30)).until(() -> shared.delivered() == 3);
            assertThat(received).isEqualTo(later);
        } finally {
            shared.close();
        }
        assertThat(shared.postgres().reachable()).isFalse();
        assertThat(EventFeedTest.started(before, "gateway-store-feed")).noneMatch(Thread::isAlive);
    }
}
