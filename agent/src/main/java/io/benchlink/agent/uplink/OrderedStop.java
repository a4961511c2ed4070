package io.benchlink.agent.uplink;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two waits of an uplink's stop (docs/PROTOCOL.md §3): first for the acks of statuses in flight, so the gateway
 * has stored them before the goodbye; then, after the 1001 close, briefly for the close handshake before the socket
 * is dropped. The goodbye itself goes out through {@link Uplink}, between the two.
 *
 * <p>Threads: runs on agent-uplink once its event loop has ended, and reads that thread's queue, window and held
 * refusals; it holds no mutable state of its own. Logs under the {@link Uplink} logger, as before the split.
 */
final class OrderedStop {
    private static final Logger log = LoggerFactory.getLogger(Uplink.class);
    /** How long a stop waits for the acks of statuses in flight before it says goodbye (within the close wait). */
    static final long DRAIN_MS = 2_000;
    /** How long a stop waits for the gateway's side of the close handshake. */
    static final long LINGER_MS = 2_000;

    /** Handles one event of the link while the stop waits for acks. */
    @FunctionalInterface
    interface EventHandler {
        void handle(UplinkEvent event) throws InterruptedException;
    }

    private final BlockingQueue<UplinkEvent> events;
    private final SendWindow window;
    private final HeldRefusals held;

    OrderedStop(BlockingQueue<UplinkEvent> events, SendWindow window, HeldRefusals held) {
        this.events = events;
        this.window = window;
        this.held = held;
    }

    /**
     * Lets the acks of statuses in flight arrive (up to {@value #DRAIN_MS} ms), handing each event to {@code handler};
     * refused statuses (held for their device's owner) are not waited for. A lost link ({@code connected} false) ends
     * the wait.
     */
    void awaitInFlightAcks(BooleanSupplier connected, EventHandler handler) {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DRAIN_MS);
        try {
            while (connected.getAsBoolean() && window.inFlight() > held.size()) {
                long left = until - System.nanoTime();
                if (left <= 0) {
                    log.info("uplink - {} statuses still unacknowledged after {} ms; they stay in the spool",
                            window.inFlight() - held.size(), DRAIN_MS);
                    return;
                }
                UplinkEvent event = events.poll(left, TimeUnit.NANOSECONDS);
                if (event != null && !(event instanceof UplinkEvent.Stop)) {
                    handler.handle(event);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Closes {@code last} (link number {@code lastLink}) with 1001 and waits up to {@value #LINGER_MS} ms for its
     * close handshake; then drops the socket.
     */
    void closeLink(GatewayConnection last, long lastLink) {
        last.close(1001, "agent stopping");
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LINGER_MS);
        try {
            while (System.nanoTime() < until) {
                UplinkEvent event = events.poll(LINGER_MS, TimeUnit.MILLISECONDS);
                if (event instanceof UplinkEvent.Closed closed && closed.link() == lastLink) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        last.closeConnection(1001, "agent stopping");
    }
}
