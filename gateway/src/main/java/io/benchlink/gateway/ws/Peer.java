package io.benchlink.gateway.ws;

import io.benchlink.gateway.agents.AgentSession;
import io.benchlink.gateway.subscribe.Subscription;

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
    volatile boolean countedAgent;

    Peer(Route route, long now) {
        this.route = route;
        this.lastSeenNanos = now;
    }
}
