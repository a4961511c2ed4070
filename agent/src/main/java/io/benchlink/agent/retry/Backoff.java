package io.benchlink.agent.retry;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongUnaryOperator;

/**
 * The agent's pacing of retries after a failure: the cap of the n-th delay in a row is {@code first * 2^n}, never
 * above {@code max}, and a jitter function turns the cap into the delay. The device readers wait the cap itself
 * ({@link #exponential}): a missing port costs a few wake-ups per second at most and a returning one is found
 * within {@code max}. The uplink draws the delay uniformly from [0, cap] ({@link #fullJitter}, AWS Architecture
 * Blog, "Exponential Backoff And Jitter"), which spreads a fleet of agents reconnecting to a restarted gateway.
 *
 * <p>Owned by: the one thread that retries (a device's reader, agent-uplink); not thread-safe.
 */
public final class Backoff {
    private final long firstMillis;
    private final long maxMillis;
    private final LongUnaryOperator jitter;
    private int failures;

    /**
     * {@code jitter} maps a cap to a delay in [0, cap] (a result outside is clamped). {@code first} is at least
     * 1 ms and {@code max} at least {@code first}, so a retry loop never spins.
     */
    public Backoff(Duration first, Duration max, LongUnaryOperator jitter) {
        this.firstMillis = Math.max(1, first.toMillis());
        this.maxMillis = Math.max(firstMillis, max.toMillis());
        this.jitter = jitter;
    }

    /** Waits the cap itself: {@code first}, {@code 2 * first}, ... up to {@code max}. */
    public static Backoff exponential(Duration first, Duration max) {
        return new Backoff(first, max, cap -> cap);
    }

    /** Waits a uniform random time in [0, cap]. */
    public static Backoff fullJitter(Duration first, Duration max) {
        return new Backoff(first, max, cap -> ThreadLocalRandom.current().nextLong(cap + 1));
    }

    /** The cap of the next delay: {@code first} doubled per failure since the last reset, never above max. */
    public long nextCapMillis() {
        long cap = firstMillis;
        for (int i = 0; i < failures && cap < maxMillis; i++) {
            cap *= 2;
        }
        return Math.min(cap, maxMillis);
    }

    /** Counts a failure and returns how long to wait before the next attempt. */
    public long nextDelayMillis() {
        long cap = nextCapMillis();
        failures++;
        return Math.max(0, Math.min(cap, jitter.applyAsLong(cap)));
    }

    /** After a success: the next failure waits {@code first} again. */
    public void reset() {
        failures = 0;
    }
}
