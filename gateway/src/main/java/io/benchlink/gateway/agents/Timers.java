package io.benchlink.gateway.agents;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Runs a task once after a delay; the agent-link timers (grace periods) go through it so tests can drive time. */
@FunctionalInterface
public interface Timers {
    void schedule(Runnable task, Duration delay);

    /** The gateway's scheduler thread. */
    static Timers of(ScheduledExecutorService executor) {
        return (task, delay) -> executor.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
    }
}
