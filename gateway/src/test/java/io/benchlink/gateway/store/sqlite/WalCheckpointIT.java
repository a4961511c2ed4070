package io.benchlink.gateway.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.benchlink.common.status.StatusKind;
import io.benchlink.gateway.store.StoredEvent;
import io.benchlink.gateway.store.WriteSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18: the write-ahead log is copied into the database file by the store's own checkpoint thread; the writer's
 * commits leave it alone (SQLite's default would make every commit that takes the log past 4 MB do it, with the
 * acks of its batch waiting).
 */
@Timeout(60)
class WalCheckpointIT {
    private static final String TEXT = "x".repeat(2000);

    @TempDir
    Path dir;

    /** About 8 MB of events in batches of 200. */
    private static void write(WriteSession session) {
        session.load();
        for (int batch = 0; batch < 20; batch++) {
            long seq = session.begin();
            for (int i = 0; i < 200; i++) {
                seq++;
                session.append(new StoredEvent(seq, "dev-" + i, StatusKind.SUCCESS, "{\"result\":\"" + TEXT + "\"}"),
                        null, null, 0, 1);
            }
            session.commit(seq);
        }
    }

    private long walBytes() throws Exception {
        Path wal = dir.resolve(SqliteEventStore.FILE_NAME + "-wal");
        return Files.exists(wal) ? Files.size(wal) : 0;
    }

    @Test
    void theWritersCommitsDoNotCheckpointAtTheDefaultFourMegabytes() throws Exception {
        try (SqliteEventStore store = SqliteEventStore.open(dir, 0, 0); WriteSession session = store.openWriter()) {
            write(session);
            // with SQLite's default the log starts over at about 4 MB; here it holds all 8 MB until checkpointed
            assertThat(walBytes()).isGreaterThan(6L << 20);
            assertThat(store.checkpointer().framesCopied()).isZero();
        }
    }

    @Test
    void theCheckpointThreadCopiesTheLogIntoTheDatabaseBesideTheWriter() throws Exception {
        try (SqliteEventStore store = SqliteEventStore.open(dir, 0, 20); WriteSession session = store.openWriter()) {
            write(session);
            await().atMost(Duration.ofSeconds(20)).until(() -> store.checkpointer().framesCopied() >= 2000);
            long dbBytes = Files.size(dir.resolve(SqliteEventStore.FILE_NAME));
            assertThat(dbBytes).isGreaterThan(6L << 20); // the events are in the database file itself now
        }
    }
}
