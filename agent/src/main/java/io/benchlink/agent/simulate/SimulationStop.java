package io.benchlink.agent.simulate;

import io.benchlink.common.ops.StopSignal;
import java.io.Closeable;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * SIGTERM or Ctrl-C for {@code agent simulate}: the tester stops writing, closes what it holds and the command
 * exits with 0, as docs/OPERATIONS.md promises (without a handler the JVM exits with 143 on SIGTERM). The write
 * loop polls {@link #requested()}; a thread blocked elsewhere (a TCP accept) is woken by closing its resource.
 *
 * <p>Owned by: the command's thread polls; a daemon thread waits for the signal and closes the registered resource.
 */
public final class SimulationStop implements BooleanSupplier {
    private final StopSignal signal;
    private final AtomicReference<Closeable> blocking = new AtomicReference<>();
    private volatile boolean requested;

    private SimulationStop(StopSignal signal) {
        this.signal = signal;
    }

    /** Installs the TERM/INT handlers and starts the waiting thread. */
    public static SimulationStop install() {
        SimulationStop stop = new SimulationStop(StopSignal.install());
        Thread waiter = new Thread(stop::awaitSignal, "simulate-stop");
        waiter.setDaemon(true);
        waiter.start();
        return stop;
    }

    private void awaitSignal() {
        try {
            signal.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        requested = true;
        Closeable resource = blocking.getAndSet(null);
        if (resource != null) {
            try {
                resource.close();
            } catch (IOException e) {
                // stopping anyway: the command sees requested() and returns
            }
        }
    }

    /** Closes {@code resource} when the signal comes (at once if it already came); replaces any earlier one. */
    public void closeOnStop(Closeable resource) throws IOException {
        blocking.set(resource);
        if (requested && blocking.compareAndSet(resource, null)) {
            resource.close();
        }
    }

    public boolean requested() {
        return requested;
    }

    @Override
    public boolean getAsBoolean() {
        return requested;
    }
}
