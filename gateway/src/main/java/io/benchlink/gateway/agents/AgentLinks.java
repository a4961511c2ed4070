package io.benchlink.gateway.agents;

import io.benchlink.common.status.DeviceStatus;
import io.benchlink.common.status.StatusKind;
import io.benchlink.common.time.WallClock;
import io.benchlink.gateway.store.WriteCommand;
import io.benchlink.gateway.store.WriteSession;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent-link lifecycle of CONTRACT §3: which link is current for each agent_id, the grace period after a link
 * is lost, and the online/offline statuses that follow. Each hello bumps the agent's generation; a lost link
 * schedules an offline that is published only if, when the store writer applies it, the generation is unchanged
 * and no link is current, so a late offline never overrides a newer hello. The writer only stores what this class
 * decided ({@link WriteCommand.Publish} with a guard).
 *
 * <p>Thread-safe: WebSocket worker threads attach/detach, the timer thread ends grace periods, the writer thread
 * asks the guards; per-agent state changes atomically inside {@link ConcurrentHashMap#compute}.
 */
public final class AgentLinks {
    /** The result text of the offline published when an agent's link stays lost past the grace period. */
    public static final String LINK_LOST = "agent connection lost";
    /** The result text of the online published when that agent says hello again. */
    public static final String LINK_BACK = "agent connection restored";
    private static final Logger LOG = LoggerFactory.getLogger(AgentLinks.class);
    private static final Duration RETRY = Duration.ofSeconds(1);

    private record State(AgentSession current, long generation) {
    }

    private final Map<String, State> agents = new ConcurrentHashMap<>();
    private final LongAdder lost = new LongAdder();
    private final Timers timers;
    private final Duration offlineGrace;
    private final WriteQueue writer;
    private final WallClock clock;

    public AgentLinks(Timers timers, Duration offlineGrace, WriteQueue writer, WallClock clock) {
        this.timers = timers;
        this.offlineGrace = offlineGrace;
        this.writer = writer;
        this.clock = clock;
    }

    /** Makes {@code session} the agent's current link after its hello; returns the link it replaces, or null. */
    public AgentSession attach(AgentSession session) {
        AgentSession[] replaced = new AgentSession[1];
        agents.compute(session.agentId(), (id, state) -> {
            replaced[0] = state == null ? null : state.current();
            return new State(session, state == null ? 1 : state.generation() + 1);
        });
        return replaced[0];
    }

    /**
     * After the welcome (and after the replaced link was closed, so its leftovers are queued first): tells the
     * writer the agent resends from its mark, and brings back online the devices its lost link took offline.
     */
    public void resumed(AgentSession session) {
        // Also without devices: the writer lifts this agent's fence (see StoreWriter).
        writer.submit(new WriteCommand.NewLink(session.agentId()));
        List<String> devices = session.devices();
        if (!devices.isEmpty()) {
            writer.submit(new WriteCommand.Publish(statuses(devices, StatusKind.ONLINE, LINK_BACK),
                    AgentLinks::lostByLink));
        }
    }

    /** The link went away; if it was the current one, the grace period starts. */
    public void detach(AgentSession session) {
        long[] generation = {-1};
        agents.computeIfPresent(session.agentId(), (id, state) -> {
            if (state.current() != session) {
                return state;
            }
            generation[0] = state.generation();
            return new State(null, state.generation());
        });
        if (generation[0] >= 0) {
            lost.increment();
            List<String> devices = session.devices();
            LOG.info("{} - link lost; offline in {} s unless it reconnects", session.agentId(),
                    offlineGrace.toSeconds());
            timers.schedule(() -> graceOver(session.agentId(), generation[0], devices), offlineGrace);
        }
    }

    private void graceOver(String agentId, long generation, List<String> devices) {
        if (!stillLost(agentId, generation) || devices.isEmpty()) {
            return;
        }
        WriteCommand.Publish offline = new WriteCommand.Publish(statuses(devices, StatusKind.OFFLINE, LINK_LOST),
                (device, last) -> stillLost(agentId, generation));
        if (!writer.submit(offline)) {
            // The writer is saturated: try again shortly rather than forget the offline.
            timers.schedule(() -> graceOver(agentId, generation, devices), RETRY);
        }
    }

    private boolean stillLost(String agentId, long generation) {
        State state = agents.get(agentId);
        return state != null && state.current() == null && state.generation() == generation;
    }

    /** True when the device's last status is the offline a lost agent link caused. */
    static boolean lostByLink(String deviceId, WriteSession.DeviceState last) {
        return last != null && last.status() == StatusKind.OFFLINE && LINK_LOST.equals(last.result());
    }

    private List<DeviceStatus> statuses(List<String> devices, StatusKind kind, String result) {
        return devices.stream().map(device -> DeviceStatus.link(device, kind, result, clock.now())).toList();
    }

    /** Current links that went away (a link replaced by a newer one from the same agent is not counted). */
    public long linksLost() {
        return lost.sum();
    }

    public int connected() {
        return (int) agents.values().stream().filter(s -> s.current() != null).count();
    }
}
