package io.benchlink.agent.simulate;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Spreads a {@link SimulatedTester}'s lines evenly over each test's period so output arrives like a real tester's.
 * Owned by: the single thread that drives the simulation.
 */
final class LinePacer {
    private final SimulatedTester tester;
    private final long periodNanos;
    private final Deque<String> pending = new ArrayDeque<>();
    private long lineGapNanos;
    private long nextLineAt;

    LinePacer(SimulationSettings settings) {
        this.tester = new SimulatedTester(settings);
        this.periodNanos = settings.testPeriodNanos();
        this.nextLineAt = System.nanoTime();
    }

    /** Nanoseconds until the next line is due (0 or less: due now); Long.MAX_VALUE when the tester is done. */
    long nanosUntilNext() {
        if (pending.isEmpty() && !tester.hasNext()) {
            return Long.MAX_VALUE;
        }
        return nextLineAt - System.nanoTime();
    }

    /** The next line with CRLF appended; call only when {@link #nanosUntilNext()} is 0 or less. */
    byte[] nextLine() {
        if (pending.isEmpty()) {
            pending.addAll(tester.nextTest());
            lineGapNanos = periodNanos / pending.size();
        }
        nextLineAt += lineGapNanos;
        return (pending.poll() + "\r\n").getBytes(StandardCharsets.UTF_8);
    }
}
