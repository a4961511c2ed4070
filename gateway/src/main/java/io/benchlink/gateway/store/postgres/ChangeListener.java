package io.benchlink.gateway.store.postgres;

import io.benchlink.common.concurrent.NamedThreadFactory;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds one connection in {@code LISTEN} and wakes the {@link EventFeed} when any gateway commits a batch. It only
 * wakes: the feed then reads by seq from the table, so a notification lost (connection dropped, database
 * restarted) costs latency until the feed's next poll, never an event. After a reconnect it wakes the feed once,
 * for whatever committed while it was away.
 *
 * <p>Owned by: {@code gateway-store-listen}.
 */
final class ChangeListener implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ChangeListener.class);
    private static final int WAIT_MILLIS = 500;
    private static final long RETRY_MILLIS = 1_000;

    private final PostgresEventStore store;
    private final Runnable wake;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Connection connection;

    ChangeListener(PostgresEventStore store, Runnable wake) {
        this.store = store;
        this.wake = wake;
        this.thread = NamedThreadFactory.single("gateway-store-listen").newThread(this::run);
    }

    void start() {
        thread.start();
    }

    private void run() {
        boolean reported = false;
        while (running) {
            try (Connection c = store.dedicatedConnection(); Statement st = c.createStatement()) {
                connection = c;
                st.execute("LISTEN " + PostgresWriteSession.CHANNEL);
                if (reported) {
                    LOG.info("store notifications back");
                    reported = false;
                }
                wake.run();
                listen(c.unwrap(PGConnection.class));
            } catch (SQLException e) {
                if (running && !reported) {
                    // expected while the database restarts or fails over; the feed keeps polling meanwhile
                    LOG.warn("store notifications lost, retrying every {} ms ({})", RETRY_MILLIS, e.getMessage());
                    reported = true;
                }
                pause();
            } catch (RuntimeException e) {
                // a listener that dies would leave only the poll: log it and listen again
                LOG.error("store listener failed", e);
                pause();
            }
        }
    }

    private void listen(PGConnection pg) throws SQLException {
        while (running) {
            PGNotification[] notifications = pg.getNotifications(WAIT_MILLIS);
            if (notifications != null && notifications.length > 0) {
                wake.run();
            }
        }
    }

    private void pause() {
        try {
            Thread.sleep(RETRY_MILLIS); // a back-off between reconnects, not a synchronisation
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Connection c = connection;
        if (thread.isAlive() && c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                // closing a listen connection loses nothing
            }
        }
    }
}
