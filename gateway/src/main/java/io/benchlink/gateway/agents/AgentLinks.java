package io.benchlink.gateway.agents;

import io.benchlink.gateway.store.StoreWriter;
import io.benchlink.gateway.store.WriteCommand;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which link is current for each agent_id, and the grace period after a link is lost (CONTRACT §3). Each hello
 * bumps the agent's generation; a lost link schedules an offline that the store writer publishes only if the
 * generation is unchanged and no link is current then, so a late offline never overrides a newer hello.
 *
 * <p>Thread-safe: WebSocket worker threads attach/detach, the writer thread asks {@link #stillLost}; per-agent
 * state changes atomically inside {@link ConcurrentHashMap#compute}.
 */
public final class AgentLinks implements StoreWriter.LinkCheck {
    private static final Logger LOG = LoggerFactory.getLogger(AgentLinks.class);

    /** {@code since}: epoch millis of the last attach or detach; {@code devices}: those of the last hello. */
    private record State(AgentSession current, long generation, long since, List<String> devices) {
    }

    /** One agent as the dashboard's rigs panel shows it: connected or since when not, and its devices. */
    public record AgentView(String agentId, boolean connected, long sinceMillis, List<String> devices) {
    }

    private final Map<String, State> agents = new ConcurrentHashMap<>();
    private final LongAdder lost = new LongAdder();
    private final ScheduledExecutorService grace;
    private final Duration offlineGrace;
    private StoreWriter writer;

    public AgentLinks(ScheduledExecutorService grace, Duration offlineGrace) {
        this.grace = grace;
        this.offlineGrace = offlineGrace;
    }

    /** Set once during wiring (the writer needs this object as its link check, and this one needs the writer). */
    public void bind(StoreWriter storeWriter) {
        this.writer = storeWriter;
    }

    /** Makes {@code session} the agent's current link; returns the link it replaces, or null. */
    public AgentSession attach(AgentSession session) {
        AgentSession[] replaced = new AgentSession[1];
        agents.compute(session.agentId(), (id, state) -> {
            replaced[0] = state == null ? null : state.current();
            return new State(session, state == null ? 1 : state.generation() + 1, System.currentTimeMillis(),
                    session.devices());
        });
        return replaced[0];
    }

    /** The link went away; if it was the current one, the grace period starts. */
    public void detach(AgentSession session) {
        long[] generation = {-1};
        agents.computeIfPresent(session.agentId(), (id, state) -> {
            if (state.current() != session) {
                return state;
            }
            generation[0] = state.generation();
            return new State(null, state.generation(), System.currentTimeMillis(), state.devices());
        });
        if (generation[0] >= 0) {
            lost.increment();
            List<String> devices = session.devices();
            LOG.info("{} - link lost; offline in {} s unless it reconnects", session.agentId(),
                    offlineGrace.toSeconds());
            grace.schedule(() -> graceOver(session.agentId(), generation[0], devices), offlineGrace.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    private void graceOver(String agentId, long generation, List<String> devices) {
        if (!stillLost(agentId, generation) || devices.isEmpty()) {
            return;
        }
        if (!writer.submit(new WriteCommand.LinkLost(agentId, generation, devices))) {
            // The writer is saturated: try again shortly rather than forget the offline.
            grace.schedule(() -> graceOver(agentId, generation, devices), 1, TimeUnit.SECONDS);
        }
    }

    @Override
    public boolean stillLost(String agentId, long generation) {
        State state = agents.get(agentId);
        return state != null && state.current() == null && state.generation() == generation;
    }

    /** Current links that went away (a link replaced by a newer one from the same agent is not counted). */
    public long linksLost() {
        return lost.sum();
    }

    /** Every agent that said hello since the gateway started, ordered by agent_id (read-only, for the dashboard). */
    public List<AgentView> view() {
        return agents.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> new AgentView(e.getKey(), e.getValue().current() != null, e.getValue().since(),
                        e.getValue().devices()))
                .toList();
    }

    public int connected() {
        return (int) agents.values().stream().filter(s -> s.current() != null).count();
    }
}
