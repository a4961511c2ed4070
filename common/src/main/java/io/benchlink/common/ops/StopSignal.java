package io.benchlink.common.ops;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns SIGTERM and SIGINT (Ctrl-C) into a latch the main thread waits on, so the program stops itself in order
 * and exits with 0. With only a shutdown hook the JVM exits with 128+15=143 on SIGTERM whatever the hook does, which
 * systemd and scripts read as a failure. A second signal while stopping is only logged: a wrapper and a process group
 * signal (timeout, a service manager) often deliver two, and the stop is bounded anyway. The JVM's own shutdown
 * hooks still run on every other way out (System.exit, SIGHUP).
 *
 * <p>Owned by: the main thread awaits; the JVM's signal dispatcher thread counts down.
 */
public final class StopSignal {
    private static final Logger LOG = LoggerFactory.getLogger(StopSignal.class);

    private final CountDownLatch stop = new CountDownLatch(1);
    private final AtomicInteger received = new AtomicInteger();

    private StopSignal() {
    }

    /** Installs the handlers for TERM and INT (those the platform has; Windows has INT, and TERM for some hosts). */
    public static StopSignal install() {
        StopSignal signal = new StopSignal();
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                Signals.handle(name, signal::onSignal);
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                LOG.debug("signal {} not available here ({})", name, e.getMessage());
            }
        }
        return signal;
    }

    private void onSignal(String name) {
        if (received.getAndIncrement() == 0) {
            LOG.info("SIG{} received, stopping", name);
            stop.countDown();
        } else {
            LOG.info("SIG{} received again; already stopping", name);
        }
    }

    /** Blocks until the first TERM or INT. */
    public void await() throws InterruptedException {
        stop.await();
    }

    /** Blocks until the first TERM or INT or the timeout; true if a signal came. */
    public boolean await(Duration timeout) throws InterruptedException {
        return stop.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
