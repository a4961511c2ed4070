package io.benchlink.gateway.store;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Issue 18: how many expired events the retention sweep deletes at once and how often, so that deleting a million
 * of them never holds the writer for long. Each chunk's delete is timed: the next chunk is sized to take about
 * {@link #BUDGET_NANOS} (a chunk that took longer shrinks the next one at once, a fast one lets it grow, at most
 * doubling), and is due only after a gap of three times the last chunk's time (at least {@link #MIN_GAP_NANOS}), so
 * the sweep takes at most a quarter of the writer's time and statuses keep the rest. Measured on a 10 M-event store
 * (docs/PERFORMANCE.md §4). Owned by: {@code gateway-store-writer}.
 */
final class SweepPace {
    /** What one chunk's delete should take: well under the 50 ms a batch of statuses may be held up by it. */
    static final long BUDGET_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    static final long MIN_GAP_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    static final int FIRST_CHUNK = 500;
    static final int MIN_CHUNK = 16;
    static final int MAX_CHUNK = 20_000;

    private final LongSupplier nanos;
    private int chunk = FIRST_CHUNK;
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
            long fits = deleted * BUDGET_NANOS / took;
            chunk = (int) Math.max(MIN_CHUNK, Math.min(MAX_CHUNK, Math.min(2L * chunk, fits)));
        }
        dueAt = nanos.getAsLong() + Math.max(MIN_GAP_NANOS, 3 * took);
    }
}
