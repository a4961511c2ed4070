package io.benchlink.gateway.store;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Issue 18: how many expired events the retention sweep deletes at once and how often, so that deleting a million
 * of them never holds the writer for long. Each chunk is timed whole (its batch: the delete and the commit): the
 * next chunk is sized to take about {@link #BUDGET_NANOS} at the cost per event the pace expects, and is due only
 * after a gap of nine times the last chunk's time (at least {@link #MIN_GAP_NANOS}), so the sweep takes at most a
 * tenth of the writer's time and statuses keep the rest: a million expired events take about seven minutes while
 * 8,000 statuses/s arrive. Measured on a 10 M-event store (docs/PERFORMANCE.md §4, fourth round: with 20 ms and a
 * quarter the median ack doubled during the sweep).
 *
 * <p>The expected cost per event rises at once to a dearer chunk's, but falls only halfway to a cheaper one's, and
 * a chunk grows by at most half: on a big store the cost swings with the page cache (a chunk whose index pages
 * happened to be cached is several times cheaper than the next), so a chunk sized by one cheap one overran the
 * budget. Each sweep after the first starts at the size and cost the last one ended with; the very first starts
 * small ({@link #FIRST_CHUNK}), since nothing is known yet. Owned by: {@code gateway-store-writer}.
 */
final class SweepPace {
    /** What one chunk should hold the writer for: well under the 50 ms a batch of statuses may be held up by it. */
    static final long BUDGET_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    static final long MIN_GAP_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    static final int FIRST_CHUNK = 100;
    static final int MIN_CHUNK = 16;
    static final int MAX_CHUNK = 20_000;

    private final LongSupplier nanos;
    private int chunk = FIRST_CHUNK;
    private double nanosPerEvent; // expected cost of deleting one event; 0: nothing measured yet
    private long dueAt;

    SweepPace(LongSupplier nanos) {
        this.nanos = nanos;
        this.dueAt = nanos.getAsLong();
    }

    long now() {
        return nanos.getAsLong();
    }

    /** How many events the next chunk may delete. */
    int chunk() {
        return chunk;
    }

    boolean due() {
        return nanos.getAsLong() - dueAt >= 0;
    }

    /** Nanoseconds until the next chunk is due, 0 when it is. */
    long untilDue() {
        return Math.max(0, dueAt - nanos.getAsLong());
    }

    /** Records that a chunk deleted {@code deleted} events in {@code tookNanos}: sizes the next one and its time. */
    void took(int deleted, long tookNanos) {
        long took = Math.max(1, tookNanos);
        if (deleted > 0) {
            double cost = (double) took / deleted;
            nanosPerEvent = cost >= nanosPerEvent ? cost : (nanosPerEvent + cost) / 2;
            long fits = (long) (BUDGET_NANOS / nanosPerEvent);
            chunk = (int) Math.max(MIN_CHUNK, Math.min(MAX_CHUNK, Math.min(chunk + chunk / 2, fits)));
        }
        dueAt = nanos.getAsLong() + Math.max(MIN_GAP_NANOS, 9 * took);
    }
}
