package io.benchlink.agent.simulate;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Drives a simulated tester into an external byte sink (a pty or serial port, a TCP client, stdout), for demos
 * and load tests where the agent reads it like a real tester. Runs on the caller's thread until the tester is
 * done, {@code stop} says so, or the sink fails.
 */
public final class SimulatedOutput {
    private SimulatedOutput() {
    }

    /** Returns the number of lines written. */
    public static long run(SimulationSettings settings, OutputStream out, BooleanSupplier stop)
            throws IOException, InterruptedException {
        LinePacer pacer = new LinePacer(settings);
        long lines = 0;
        while (!stop.getAsBoolean()) {
            long wait = pacer.nanosUntilNext();
            if (wait == Long.MAX_VALUE) {
                break;
            }
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(Math.min(wait, TimeUnit.MILLISECONDS.toNanos(200)));
                continue;
            }
            out.write(pacer.nextLine());
            lines++;
            if (pacer.nanosUntilNext() > 0) {
                out.flush();
            }
        }
        out.flush();
        return lines;
    }
}
