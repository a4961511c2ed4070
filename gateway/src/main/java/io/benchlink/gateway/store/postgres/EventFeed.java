package io.benchlink.gateway.store.postgres;

import io.benchlink.common.concurrent.NamedThreadFactory;
import io.benchlink.gateway.store.StoredEvent;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers every committed event of the shared log, from whichever gateway, to this gateway's subscribers: in seq
 * order, each once, with no gap. It is the only caller of the sink, so local and remote batches cannot interleave
 * out of order. Woken by a local commit, by a {@code NOTIFY} from another gateway, or by its own poll once a second
 * (the safety net for a lost notification); each wake reads {@code seq > delivered} until nothing is left.
 *
 * <p>Owned by: {@code gateway-store-feed} ({@link #delivered} is read elsewhere only for metrics).
 */
public final class EventFeed implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventFeed.class);
    private static final int PAGE = 1_000;
    private static final Duration POLL = Duration.ofSeconds(1);

    private final PostgresEventStore store;
    private final Consumer<List<StoredEvent>> sink;
    private final long pollMillis;
    private final Semaphore wakeups = new Semaphore(0);
    private final Thread thread;
    private final ChangeListener listener;
    private volatile boolean running = true;
    private volatile long delivered;

    /**
     * @param startAfter the seq the sink has already seen (the log's last seq at start: older events reach a
     *                   subscriber through its replay)
     * @param sink       receives each page of new events in seq order, on the feed's thread; must not block
     */
    public EventFeed(PostgresEventStore store, long startAfter, Consumer<List<StoredEvent>> sink) {
        this(store, startAfter, sink, POLL);
    }

    /** Testability seam: a poll so long that only a wake delivers, for tests of what wakes the feed. */
    EventFeed(PostgresEventStore store, long startAfter, Consumer<List<StoredEvent>> sink, Duration poll) {
        this.store = store;
        this.sink = sink;
        this.pollMillis = poll.toMillis();
        this.delivered = startAfter;
        this.thread = NamedThreadFactory.single("gateway-store-feed").newThread(this::run);
        this.listener = new ChangeListener(store, this::wake);
    }

    public void start() {
        thread.start();
        listener.start();
    }

    /** Something may have committed: read and deliver it soon. Safe from any thread; never blocks. */
    public void wake() {
        if (wakeups.availablePermits() == 0) {
            wakeups.release();
        }
    }

    /** The highest seq handed to the sink. */
    public long delivered() {
        return delivered;
    }

    private void run() {
        boolean failing = false;
        while (running) {
            try {
                wakeups.tryAcquire(pollMillis, TimeUnit.MILLISECONDS);
                wakeups.drainPermits();
                drain();
                if (failing) {
                    LOG.info("store feed reading again from seq {}", delivered);
                    failing = false;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            } catch (RuntimeException e) {
                // The database is away: subscribers stay connected and get everything once it is back.
                if (!failing) {
                    LOG.warn("store feed cannot read after seq {} ({})", delivered, e.getMessage());
                    failing = true;
                }
            }
        }
    }

    private void drain() {
        while (running) {
            List<StoredEvent> page = store.eventsAfter(delivered, null, PAGE);
            if (page.isEmpty()) {
                return;
            }
            sink.accept(page);
            delivered = page.get(page.size() - 1).seq();
            if (page.size() < PAGE) {
                return;
            }
        }
    }

    @Override
    public void close() {
        listener.close();
        running = false;
        thread.interrupt();
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
