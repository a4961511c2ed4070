package io.benchlink.gateway.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.benchlink.gateway.store.StoredEvent;
import io.benchlink.gateway.store.WriteSession;
import io.benchlink.gateway.testing.PostgresServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class EventFeedIT {
    private static PostgresEventStore open(String url) {
        return PostgresEventStore.open(PostgresLocation.of(url, Map.of()));
    }

    /** One batch of gateway-made statuses, as the writer commits it; returns how many it stored. */
    private static int commit(WriteSession session, int count) {
        long seq = session.begin();
        for (int i = 0; i < count; i++) {
            seq++;
            session.append(PostgresStoreIT.event(seq, "bench-" + i), null, null, 0, System.currentTimeMillis());
        }
        session.commit(seq);
        return count;
    }

    @Test
    void aReaderOfSeqAfterNNeverMissesAnEventOfTwoRacingWriters() throws Exception {
        String url = PostgresServer.shared().createDatabase();
        try (PostgresEventStore a = open(url); PostgresEventStore b = open(url); PostgresEventStore reader = open(url)) {
            List<Long> polled = new ArrayList<>();
            AtomicBoolean writing = new AtomicBoolean(true);
            ExecutorService threads = Executors.newFixedThreadPool(5);
            // A subscriber's view: keep asking for seq > last seen, as the feed and HTTP polling do.
            Future<?> poller = threads.submit(() -> {
                long last = 0;
                while (writing.get() || last < reader.latestSeq()) {
                    for (StoredEvent e : reader.eventsAfter(last, null, 500)) {
                        polled.add(e.seq());
                        last = e.seq();
                    }
                }
            });
            List<Future<Integer>> writers = new ArrayList<>();
            for (PostgresEventStore store : List.of(a, b, a, b)) {
                writers.add(threads.submit(() -> {
                    int stored = 0;
                    try (WriteSession session = store.openWriter()) {
                        for (int batch = 0; batch < 60; batch++) {
                            stored += commit(session, 1 + batch % 4);
                        }
                    }
                    return stored;
                }));
            }
            int total = 0;
            for (Future<Integer> writer : writers) {
                total += writer.get();
            }
            writing.set(false);
            poller.get();
            threads.shutdown();

            assertThat(polled).containsExactlyElementsOf(LongStream.rangeClosed(1, total).boxed().toList());
        }
    }

    @Test
    void deliversAnotherGatewaysCommitsInOrderSoonAfterTheyCommit() throws Exception {
        String url = PostgresServer.shared().createDatabase();
        try (PostgresEventStore a = open(url); PostgresEventStore b = open(url); WriteSession writer = a.openWriter()) {
            List<Long> delivered = new CopyOnWriteArrayList<>();
            List<Long> latencies = new CopyOnWriteArrayList<>();
            long[] committedAt = new long[1];
            try (EventFeed feed = new EventFeed(b, b.latestSeq(), page -> {
                latencies.add(System.nanoTime() - committedAt[0]);
                page.forEach(e -> delivered.add(e.seq()));
            })) {
                feed.start();
                for (int i = 1; i <= 20; i++) {
                    committedAt[0] = System.nanoTime();
                    commit(writer, 1);
                    int expected = i;
                    await().atMost(Duration.ofSeconds(5)).until(() -> delivered.size() == expected);
                }
            }
            assertThat(delivered).containsExactlyElementsOf(LongStream.rangeClosed(1, 20).boxed().toList());
            // woken by NOTIFY, not by the once-a-second poll
            assertThat(latencies.stream().sorted().toList().get(latencies.size() / 2))
                    .isLessThan(Duration.ofMillis(300).toNanos());
        }
    }

    @Test
    void catchesUpWithEverythingCommittedAfterTheDatabaseRestarted() throws Exception {
        try (PostgresServer server = PostgresServer.start(false)) {
            String url = server.createDatabase();
            try (PostgresEventStore store = open(url); PostgresEventStore reader = open(url);
                 WriteSession writer = store.openWriter()) {
                List<Long> delivered = new CopyOnWriteArrayList<>();
                try (EventFeed feed = new EventFeed(reader, 0, page -> page.forEach(e -> delivered.add(e.seq())))) {
                    feed.start();
                    commit(writer, 1);
                    await().atMost(Duration.ofSeconds(5)).until(() -> delivered.size() == 1);

                    server.kill();
                    server.restart();
                    await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> {
                        try {
                            return commit(writer, 1) == 1;
                        } catch (RuntimeException e) {
                            writer.rollback();
                            throw e;
                        }
                    });
                    commit(writer, 1);

                    await().atMost(Duration.ofSeconds(10)).until(() -> delivered.size() == 3);
                    assertThat(delivered).containsExactly(1L, 2L, 3L);
                }
            }
        }
    }
}
