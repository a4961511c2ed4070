package io.benchlink.gateway.testing;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A scheduler for unit tests (the replay executor, a connection's close grace): tasks run when the test says so, on the test thread. Remembers the delay
 * of every scheduled task so a test can tell a pause from an immediate next step.
 */
public final class ManualScheduler extends AbstractExecutorService implements ScheduledExecutorService {
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    /** Delays in milliseconds, one per task handed over (0 for execute). */
    public final List<Long> delays = new ArrayList<>();

    @Override
    public void execute(Runnable command) {
        tasks.add(command);
        delays.add(0L);
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        tasks.add(command);
        delays.add(unit.toMillis(delay));
        return null;
    }

    /** Runs the next task; false when there is none. */
    public boolean runNext() {
        Runnable task = tasks.poll();
        if (task == null) {
            return false;
        }
        task.run();
        return true;
    }

    /** Runs tasks (and those they hand over) until none is left; bounded so a loop fails the test instead. */
    public void runAll() {
        for (int i = 0; i < 10_000; i++) {
            if (!runNext()) {
                return;
            }
        }
        throw new AssertionError("tasks keep re-scheduling themselves");
    }

    public int waiting() {
        return tasks.size();
    }

    public long lastDelay() {
        return delays.get(delays.size() - 1);
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay,
            TimeUnit unit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void shutdown() {
    }

    @Override
    public List<Runnable> shutdownNow() {
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return false;
    }

    @Override
    public boolean isTerminated() {
        return false;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return true;
    }
}
