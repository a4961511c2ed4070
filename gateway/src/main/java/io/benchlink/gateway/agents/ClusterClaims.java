package io.benchlink.gateway.agents;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 15: what {@link AgentLinks} asks the cluster synchronously (device claims, an agent's stored mark), with two
 * guards for the WebSocket threads that ask. A device the cluster confirmed as the agent's own during its current
 * link is not asked again, so only a link's first status per device costs a database round trip. After the database
 * failed to answer, nothing is asked for {@link #PAUSE}: the caller decides alone meanwhile instead of making every
 * hello and claim wait for the pool's connection timeout (the store refuses the statuses then anyway).
 *
 * <p>Thread-safe.
 */
final class ClusterClaims {
    static final Duration PAUSE = Duration.ofSeconds(5);
    private static final Logger LOG = LoggerFactory.getLogger(ClusterClaims.class);

    private final AgentLinks.SharedLinks cluster;
    private final LongSupplier nanoTime;
    // agent_id → devices confirmed as its own during its current link (reset by each hello)
    private final Map<String, Set<String>> confirmed = new ConcurrentHashMap<>();
    private volatile boolean down;
    private volatile long downUntil;

    ClusterClaims(AgentLinks.SharedLinks cluster, LongSupplier nanoTime) {
        this.cluster = cluster;
        this.nanoTime = nanoTime;
    }

    /** A new link of the agent: what its earlier links were confirmed counts no more. */
    void newLink(String agentId) {
        confirmed.put(agentId, ConcurrentHashMap.newKeySet());
    }

    boolean confirmed(String agentId, String deviceId) {
        Set<String> mine = confirmed.get(agentId);
        return mine != null && mine.contains(deviceId);
    }

    /** Each device's owner after the agent's claim (absent: unknown), or null while the cluster does not answer. */
    Map<String, String> claim(String agentId, List<String> devices) {
        Map<String, String> owners = ask(() -> cluster.claim(agentId, devices));
        if (owners != null) {
            owners.forEach((device, owner) -> {
                if (owner.equals(agentId)) {
                    confirmed.computeIfAbsent(agentId, id -> ConcurrentHashMap.newKeySet()).add(device);
                }
            });
        }
        return owners;
    }

    /** The agent's highest seq any gateway committed, or null while the cluster does not answer. */
    Long storedMark(String agentId) {
        return ask(() -> cluster.storedMark(agentId));
    }

    /** The agent said goodbye here (recorded by the cluster in the background). */
    void stopped(String agentId) {
        confirmed.remove(agentId);
        cluster.stopped(agentId);
    }

    private <T> T ask(Supplier<T> question) {
        if (down && nanoTime.getAsLong() - downUntil < 0) {
            return null;
        }
        try {
            T answer = question.get();
            if (down) {
                down = false;
                LOG.info("device ownership and agent marks are the cluster's again");
            }
            return answer;
        } catch (RuntimeException e) {
            downUntil = nanoTime.getAsLong() + PAUSE.toNanos();
            if (!down) {
                down = true;
                LOG.warn("cannot ask the cluster ({}); this gateway decides device ownership alone for now",
                        e.getMessage());
            }
            return null;
        }
    }
}
