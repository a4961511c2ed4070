package io.benchlink.gateway.subscribe;

import io.benchlink.gateway.metrics.StatusTally;
import java.util.concurrent.atomic.LongAdder;

/** Counters of the subscriber side, read by the metrics endpoint. Thread-safe. */
public final class HubStats {
    /** Frames handed to subscriber connections (live and catch-up), by status. */
    public final StatusTally delivered = new StatusTally();
    public final LongAdder replayed = new LongAdder();
    public final LongAdder fellBehind = new LongAdder();
}
