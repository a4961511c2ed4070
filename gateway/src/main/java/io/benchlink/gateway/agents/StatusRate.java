package io.benchlink.gateway.agents;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The per-agent status rate limit of issue 7: a token bucket per agent_id holding up to one second's worth of
 * statuses ({@code maxPerSecond}) and refilling at that rate. Keyed by agent_id rather than by link, so a
 * reconnect does not refill it.
 *
 * <p>Thread-safe: each bucket is used under its own lock (one agent_id has one link at a time, so there is no
 * contention in practice); the map is pruned of full, idle buckets when it grows past a bound.
 */
final class StatusRate {
    private static final int PRUNE_ABOVE = 10_000;

    private final int maxPerSecond;
    private final LongSupplier nanoTime;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    StatusRate(int maxPerSecond, LongSupplier nanoTime) {
        this.maxPerSecond = maxPerSecond;
        this.nanoTime = nanoTime;
    }

    int maxPerSecond() {
        return maxPerSecond;
    }

    /** Takes one status from the agent's bucket; false means the agent is over its rate. */
    boolean tryTake(String agentId) {
        if (buckets.size() > PRUNE_ABOVE) {
            prune();
        }
        Bucket bucket = buckets.computeIfAbsent(agentId, id -> new Bucket(maxPerSecond, nanoTime.getAsLong()));
        synchronized (bucket) {
            bucket.refill(nanoTime.getAsLong(), maxPerSecond);
            if (bucket.tokens < 1) {
                return false;
            }
            bucket.tokens--;
            return true;
        }
    }

    private void prune() {
        long now = nanoTime.getAsLong();
        buckets.values().removeIf(b -> {
            synchronized (b) {
                b.refill(now, maxPerSecond);
                return b.tokens >= maxPerSecond;
            }
        });
    }

    private static final class Bucket {
        double tokens;
        long lastNanos;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.lastNanos = now;
        }

        void refill(long now, int perSecond) {
            tokens = Math.min(perSecond, tokens + (now - lastNanos) * perSecond / 1e9);
            lastNanos = now;
        }
    }
}
