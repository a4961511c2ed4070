package io.benchlink.agent.uplink;

import java.time.Duration;
import java.util.function.LongUnaryOperator;

/**
 * Exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"): the n-th delay is
 * uniform in [0, min(max, min * 2^n)], which spreads a fleet of agents reconnecting to a restarted gateway.
 * Owned by: agent-uplink.
 */
final class Backoff {
    private final long minMillis;
    private final long maxMillis;
    private final LongUnaryOperator jitter;
    private int failures;

    /** {@code jitter} maps a cap to a delay in [0, cap]; production uses a uniform random draw. */
    Backoff(Duration min, Duration max, LongUnaryOperator jitter) {
        this.minMillis = min.toMillis();
        this.maxMillis = max.toMillis();
        this.jitter = jitter;
    }

    /** The cap of the next delay: min doubled per consecutive failure, never above max. */
    long nextCapMillis() {
        long cap = minMillis;
        for (int i = 0; i < failures && cap < maxMillis; i++) {
            cap *= 2;
        }
        return Math.min(cap, maxMillis);
    }

    /** Counts a failure and returns how long to wait before the next attempt. */
    long nextDelayMillis() {
        long cap = nextCapMillis();
        failures++;
        return Math.max(0, Math.min(cap, jitter.applyAsLong(cap)));
    }

    void reset() {
        failures = 0;
    }
}
