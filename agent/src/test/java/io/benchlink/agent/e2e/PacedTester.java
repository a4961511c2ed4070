package io.benchlink.agent.e2e;

import io.benchlink.agent.testing.PtyPair;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A tester at the far end of a socat pty: writes one kv result line per test, serial numbers {@code SN-00001} up
 * to a limit the test raises step by step, at a fixed rate. The test thus knows exactly which results exist.
 *
 * <p>Threads: its own thread {@code test-tester} is the only user of the pty's tester end.
 */
final class PacedTester implements AutoCloseable {
    private static final int LINES_PER_TICK = 5;

    private final PtyPair pty;
    private final long first;
    private final long tickNanos;
    private final AtomicLong written = new AtomicLong();
    private final Thread thread;
    private volatile long limit;
    private volatile Throwable failure;
    private volatile boolean stopped;

    /** {@code perSecond} results per second, in ticks of {@value #LINES_PER_TICK} lines. */
    PacedTester(PtyPair pty, int perSecond) {
        this(pty, perSecond, 1);
    }

    /**
     * Numbers its results from {@code first} on (several testers, disjoint serial ranges); {@link #limit} and
     * {@link #written} still count this tester's lines.
     */
    PacedTester(PtyPair pty, int perSecond, long first) {
        this.pty = pty;
        this.first = first;
        this.tickNanos = TimeUnit.SECONDS.toNanos(1) * LINES_PER_TICK / perSecond;
        this.thread = new Thread(this::run, "test-tester");
        thread.setDaemon(true);
    }

    static String serial(long n) {
        return String.format(Locale.ROOT, "SN-%05d", n);
    }

    /** One result line; odd tests pass, even ones fail, so both kinds travel. */
    static String line(long n) {
        String mac = String.format(Locale.ROOT, "02:00:00:00:%02X:%02X", (n >> 8) & 0xFF, n & 0xFF);
        return "MAC=" + mac + " SN=" + serial(n) + (n % 2 == 1 ? " RESULT=PASS all checks" : " RESULT=FAIL check 3");
    }

    void start() {
        thread.start();
    }

    /** Writes up to result {@code n} (the tester pauses there until the limit rises). */
    void limit(long n) {
        limit = n;
    }

    long written() {
        if (failure != null) {
            throw new IllegalStateException("tester failed", failure);
        }
        return written.get();
    }

    private void run() {
        long next = System.nanoTime();
        try {
            while (!stopped) {
                long from = written.get();
                long to = Math.min(limit, from + LINES_PER_TICK);
                if (to > from) {
                    String[] lines = new String[(int) (to - from)];
                    for (long n = from + 1; n <= to; n++) {
                        lines[(int) (n - from - 1)] = line(first - 1 + n);
                    }
                    pty.writeLines("\n", lines);
                    written.set(to);
                }
                next += tickNanos;
                // pacing a load generator, not synchronisation
                LockSupport.parkNanos(Math.max(0, next - System.nanoTime()));
                if (to == from) {
                    next = System.nanoTime();
                }
            }
        } catch (Throwable t) {
            failure = t;
        }
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        thread.join(5_000);
    }
}
