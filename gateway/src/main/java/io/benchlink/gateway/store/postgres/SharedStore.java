package io.benchlink.gateway.store.postgres;

import io.benchlink.gateway.store.EventStore;
import io.benchlink.gateway.store.StoreWriter;
import java.util.Map;

/**
 * What the composition root needs to run a gateway on a PostgreSQL log shared with other gateways: the store, and
 * the rule that subscribers are fed by the {@link EventFeed} (every gateway's events, in seq order) while the
 * local writer's commits only wake that feed. Feeding subscribers from the writer directly, as the embedded store
 * does, would interleave this gateway's batches with other gateways' out of seq order.
 *
 * <p>Wiring, in order: {@link #open}; {@code new StoreWriter(store(), ..., wakeFeed())}; {@link #startFeed} with the
 * subscriber hub before the writer starts; {@link #close} after the writer closed.
 */
public final class SharedStore implements AutoCloseable {
    private final PostgresEventStore store;
    private volatile EventFeed feed;

    private SharedStore(PostgresEventStore store) {
        this.store = store;
    }

    /** Connects to {@code url} (password from the environment, see {@link PostgresLocation}) and migrates. */
    public static SharedStore open(String url, Map<String, String> environment) {
        return new SharedStore(PostgresEventStore.open(PostgresLocation.of(url, environment)));
    }

    public EventStore store() {
        return store;
    }

    /** The same store as the PostgreSQL it is (for the cluster's lease and link tables). */
    public PostgresEventStore postgres() {
        return store;
    }

    /** The writer's commit listener: a local commit only wakes the feed. */
    public StoreWriter.CommitListener wakeFeed() {
        return events -> {
            EventFeed current = feed;
            if (current != null) {
                current.wake();
            }
        };
    }

    /** Starts delivering, to {@code subscribers}, every event committed from now on by any gateway. */
    public void startFeed(StoreWriter.CommitListener subscribers) {
        EventFeed started = new EventFeed(store, store.latestSeq(), subscribers::committed);
        started.start();
        feed = started;
    }

    /** The highest seq handed to this gateway's subscribers (for metrics), 0 before the feed started. */
    public long delivered() {
        EventFeed current = feed;
        return current == null ? 0 : current.delivered();
    }

    @Override
    public void close() {
        EventFeed current = feed;
        if (current != null) {
            current.close();
        }
        store.close();
    }
}
