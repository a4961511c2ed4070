package io.benchlink.agent.source;

import java.time.Duration;

/**
 * Delay between reconnect attempts: doubles from {@code first} up to {@code max}, so a missing port costs a
 * few wake-ups per second at most (never a busy spin) and a returning one is found within {@code max}.
 * Owned by: the device's reader thread.
 */
public final class Backoff {
    private final long firstMillis;
    private final long maxMillis;
    private long nextMillis;

    public Backoff(Duration first, Duration max) {
        this.firstMillis = Math.max(1, first.toMillis());
        this.maxMillis = Math.max(firstMillis, max.toMillis());
        this.nextMillis = firstMillis;
    }

    public void reset() {
        nextMillis = firstMillis;
    }

    /** The delay to wait now; the following one will be longer, up to the maximum. */
    public long nextDelayMillis() {
        long delay = nextMillis;
        nextMillis = Math.min(maxMillis, nextMillis * 2);
        return delay;
    }
}
