package io.benchlink.gateway.ws;

import io.benchlink.gateway.agents.AgentSession;
import io.benchlink.gateway.subscribe.Subscription;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What the server knows about one connection: where it asked to go, when it was last heard from (for the idle
 * drop), and its role once opened. Attached to the Java-WebSocket connection; fields are volatile because the
 * selector, a worker and the heartbeat all touch them.
 */
final class Peer {
    final Route route;
    volatile long lastSeenNanos;
    volatile Subscription subscription;
    volatile AgentSession agent;
    /** Set while an agent link holds one of the listener's places for links without a hello (issue 14.4). */
    private final AtomicBoolean awaitingHello = new AtomicBoolean();

    Peer(Route route, long now) {
        this.route = route;
        this.lastSeenNanos = now;
    }

    void startAwaitingHello() {
        awaitingHello.set(true);
    }

    /** True once per link: when its hello went through, or when it closed without one. */
    boolean stopAwaitingHello() {
        return awaitingHello.compareAndSet(true, false);
    }
}
