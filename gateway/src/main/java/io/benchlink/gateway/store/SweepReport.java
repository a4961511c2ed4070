package io.benchlink.gateway.store;

import java.util.concurrent.TimeUnit;

/**
 * Issue 18: what the retention sweep's log lines say about its chunks: how many, the longest, and how many held the
 * writer for more than 50 ms (the pause a batch of statuses may see), so a slow batch during a sweep can be told
 * from a slow chunk (docs/PERFORMANCE.md §4). A long sweep reports once a minute. Owned by:
 * {@code gateway-store-writer}.
 */
final class SweepReport {
    static final long SLOW_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    static final long EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

    private int chunks;
    private int slow;
    private long longest;
    private long nextReport;

    void start(long now) {
        chunks = 0;
        slow = 0;
        longest = 0;
        nextReport = now + EVERY_NANOS;
    }

    void chunk(long tookNanos) {
        chunks++;
        if (tookNanos > SLOW_NANOS) {
            slow++;
        }
        longest = Math.max(longest, tookNanos);
    }

    /** Whether a progress line is due; if so, the next one is due a minute later. */
    boolean due(long now) {
        if (now - nextReport < 0) {
            return false;
        }
        nextReport = now + EVERY_NANOS;
        return true;
    }

    String summary() {
        return chunks + " chunks, longest " + TimeUnit.NANOSECONDS.toMillis(longest) + " ms, " + slow
                + " over 50 ms";
    }
}
