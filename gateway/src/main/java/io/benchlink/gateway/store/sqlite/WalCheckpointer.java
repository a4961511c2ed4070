package io.benchlink.gateway.store.sqlite;

import io.benchlink.common.concurrent.NamedThreadFactory;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 18: copies the write-ahead log into the database file from its own thread and connection, so the writer's
 * commits do not. By default SQLite checkpoints inside the commit that takes the log past 1,000 pages (4 MB): at
 * thousands of statuses a second, or while the retention sweep rewrites index pages, about one commit a second also
 * copied 4 MB into the database file and synced it, and every ack of its batch waited for that. A PASSIVE
 * checkpoint runs beside the writer (it never takes the write lock, and the writer starts the log over once it is
 * all copied); the writer's own checkpoint stays, at {@link #WRITER_BACKSTOP_PAGES}, in case this thread falls behind.
 *
 * <p>Owned by: {@code gateway-store-checkpoint}.
 */
final class WalCheckpointer implements AutoCloseable {
    static final long INTERVAL_MILLIS = 200;
    /** The writer connection's {@code wal_autocheckpoint}: 64 MB of log, reached only if this thread stalls. */
    static final int WRITER_BACKSTOP_PAGES = 16_384;
    private static final Logger LOG = LoggerFactory.getLogger(WalCheckpointer.class);

    private final Connection connection;
    private final ScheduledExecutorService thread;
    private final AtomicLong framesCopied = new AtomicLong();
    private boolean failing;

    private WalCheckpointer(Connection connection, long intervalMillis) {
        this.connection = connection;
        this.thread = Executors.newSingleThreadScheduledExecutor(NamedThreadFactory.single("gateway-store-checkpoint"));
        if (intervalMillis > 0) {
            thread.scheduleWithFixedDelay(this::checkpoint, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
        }
    }

    /** Checkpoints every {@code intervalMillis} on {@code connection} (which it closes); 0: never (tests). */
    static WalCheckpointer start(Connection connection, long intervalMillis) {
        return new WalCheckpointer(connection, intervalMillis);
    }

    /** Log frames copied into the database file so far. */
    long framesCopied() {
        return framesCopied.get();
    }

    private void checkpoint() {
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
            if (rs.next() && rs.getInt(3) > 0) {
                framesCopied.addAndGet(rs.getInt(3));
            }
            if (failing) {
                LOG.info("store checkpoints succeed again");
                failing = false;
            }
        } catch (SQLException e) {
            // the writer's backstop checkpoint still bounds the log; say it once, not every 200 ms
            if (!failing) {
                LOG.warn("store checkpoint failed ({}); the writer checkpoints at {} pages meanwhile", e.getMessage(),
                        WRITER_BACKSTOP_PAGES);
                failing = true;
            }
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            connection.close();
        } catch (SQLException e) {
            // a checkpoint connection holds nothing to lose
        }
    }
}
