package io.benchlink.common.concurrent;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates daemon threads named {@code <app>-<role>[-n]} that log an uncaught exception instead of dying silently,
 * so a thread dump or a log line always says which part of the program a thread belongs to.
 */
public final class NamedThreadFactory implements ThreadFactory {
    private static final Logger LOG = LoggerFactory.getLogger(NamedThreadFactory.class);

    private final String name;
    private final boolean numbered;
    private final AtomicInteger counter = new AtomicInteger();

    private NamedThreadFactory(String name, boolean numbered) {
        this.name = name;
        this.numbered = numbered;
    }

    /** For an executor with one thread: the thread gets exactly {@code name}. */
    public static NamedThreadFactory single(String name) {
        return new NamedThreadFactory(name, false);
    }

    /** For a pool: threads are {@code name-1}, {@code name-2}, ... */
    public static NamedThreadFactory pool(String name) {
        return new NamedThreadFactory(name, true);
    }

    /**
     * One thread named exactly {@code name}; {@code daemon} false keeps the JVM alive while it runs (the agent's
     * readers, whose shutdown is ordered by the program itself).
     */
    public static Thread thread(String name, boolean daemon, Runnable task) {
        Thread thread = single(name).newThread(task);
        thread.setDaemon(daemon);
        return thread;
    }

    @Override
    public Thread newThread(Runnable task) {
        Thread thread = new Thread(task, numbered ? name + "-" + counter.incrementAndGet() : name);
        thread.setDaemon(true);
        thread.setUncaughtExceptionHandler((t, e) -> LOG.error("{} died unexpectedly", t.getName(), e));
        return thread;
    }
}
