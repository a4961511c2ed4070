package io.benchlink.gateway.metrics;

import io.benchlink.common.status.StatusKind;
import java.util.concurrent.atomic.LongAdder;

/**
 * How many statuses of each kind passed one point (received, delivered); read by the metrics endpoint.
 * Thread-safe: one {@link LongAdder} per kind, so counting on hot paths never contends.
 */
public final class StatusTally {
    private final LongAdder[] counts = new LongAdder[StatusKind.values().length];

    public StatusTally() {
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new LongAdder();
        }
    }

    public void add(StatusKind kind) {
        counts[kind.ordinal()].increment();
    }

    public void add(StatusKind kind, long n) {
        counts[kind.ordinal()].add(n);
    }

    public long get(StatusKind kind) {
        return counts[kind.ordinal()].sum();
    }

    public long total() {
        long total = 0;
        for (LongAdder count : counts) {
            total += count.sum();
        }
        return total;
    }
}
