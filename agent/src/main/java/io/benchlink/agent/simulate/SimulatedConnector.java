package io.benchlink.agent.simulate;

import io.benchlink.agent.source.Connection;
import io.benchlink.agent.source.Connector;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * An in-process simulated tester as a {@link Connector}: its bytes go through the same framing, profile parsing
 * and test tracking as a real port's. Each {@link #open()} continues the same deterministic sequence.
 * Owned by: the device's reader thread.
 */
public final class SimulatedConnector implements Connector {
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    private final SimulationSettings settings;
    private LinePacer pacer;

    public SimulatedConnector(SimulationSettings settings) {
        this.settings = settings;
    }

    @Override
    public Connection open() {
        if (pacer == null) {
            pacer = new LinePacer(settings);
        }
        return new Connection() {
            @Override
            public int read(byte[] buffer) throws IOException {
                return readPaced(buffer);
            }

            @Override
            public void write(byte[] data) {
                // a simulated tester ignores commands
            }

            @Override
            public void close() {
                // nothing to release
            }
        };
    }

    private int readPaced(byte[] buffer) throws IOException {
        long wait = pacer.nanosUntilNext();
        if (wait > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(Math.min(wait, POLL_NANOS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted");
            }
            return 0;
        }
        int filled = 0;
        // simulated lines are short; stopping 1 KiB before the end means a line always fits
        while (filled < buffer.length - 1024 && pacer.nanosUntilNext() <= 0) {
            byte[] line = pacer.nextLine();
            System.arraycopy(line, 0, buffer, filled, line.length);
            filled += line.length;
        }
        return filled;
    }

    @Override
    public String describe() {
        return "sim:" + settings.format();
    }

    @Override
    public String kind() {
        return "sim";
    }
}
