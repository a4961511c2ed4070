package io.benchlink.gateway.subscribe;

import java.util.concurrent.atomic.LongAdder;

/** Counters of the subscriber side, read by the metrics endpoint. Thread-safe. */
public final class HubStats {
    public final LongAdder delivered = new LongAdder();
    public final LongAdder replayed = new LongAdder();
    public final LongAdder fellBehind = new LongAdder();
}
