package io.benchlink.gateway.agents;

import io.benchlink.common.status.DeviceStatus;
import io.benchlink.common.status.StatusKind;
import io.benchlink.common.time.WallClock;
import io.benchlink.gateway.store.StoredEvent;
import io.benchlink.gateway.store.WriteCommand;
import io.benchlink.gateway.store.WriteSession;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent-link lifecycle of PROTOCOL.md §3: which link is current for each agent_id, the grace period after a link
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
    /** The result text of the offline published at once when an agent says goodbye (a planned stop). */
    public static final String STOPPED = "agent stopped";
    private static final Logger LOG = LoggerFactory.getLogger(AgentLinks.class);
    private static final Duration RETRY = Duration.ofSeconds(1);

    /**
     * {@code gone}: the link was lost and its grace period ended without a new hello; {@code since}: epoch millis
     * of the last attach or detach; {@code devices}: those of the last hello.
     */
    private record State(AgentSession current, long generation, boolean gone, long since, List<String> devices) {
        boolean active() {
            return current != null || !gone;
        }
    }

    /** One agent as the dashboard's rigs panel shows it: connected or since when not, and its devices. */
    public record AgentView(String agentId, boolean connected, long sinceMillis, List<String> devices) {
    }

    private final Map<String, State> agents = new ConcurrentHashMap<>();
    // PROTOCOL.md §3 device ownership: device_id → the agent_id it belongs to (listed in its hello, or last reported).
    private final Map<String, String> owners = new ConcurrentHashMap<>();
    // (agent_id, device_id) pairs refused for ownership, so each conflict is logged once, not per status.
    private final Set<String> conflictsLogged = ConcurrentHashMap.newKeySet();
    private final LongAdder lost = new LongAdder();
    private final LongAdder conflicts = new LongAdder();
    private final Timers timers;
    private final Duration offlineGrace;
    private final WriteQueue writer;
    private final WallClock clock;
    private final SharedLinks shared; // issue 15: null on the embedded store
    private final ClusterClaims claims; // issue 15: null on the embedded store

    /**
     * Issue 15: on a store shared by several gateways the online/offline decisions are the cluster's (an agent may
     * come back on another gateway, or this gateway may die during the grace period), so this class only reports
     * its links' comings and goings and publishes neither. Device ownership and the agent's mark are the cluster's
     * too: an agent may have reported, or another agent may own its devices, on another gateway.
     */
    public interface SharedLinks {
        /** The agent's link here is current (after its welcome). */
        void up(String agentId, List<String> devices);

        /** The agent's current link here went away. */
        void lost(String agentId);

        /** The agent said goodbye here: its link ends without a grace period and its devices are free at once. */
        void stopped(String agentId);

        /**
         * Claims {@code devices} for {@code agentId} across the cluster (PROTOCOL.md §3); returns each device's owner
         * after the claim, leaving out those it could not tell. Asks the database now; throws
         * {@link io.benchlink.gateway.store.StoreException} when it cannot.
         */
        Map<String, String> claim(String agentId, List<String> devices);

        /** The highest seq of {@code agentId} committed by any gateway; throws like {@link #claim}. */
        long storedMark(String agentId);

        /**
         * {@code listener} is told of each agent connected here whose link the cluster recorded again after this
         * gateway's lease had lapsed: its device claims may have changed meanwhile and must be asked again.
         */
        default void onRelinked(Consumer<String> listener) {
        }
    }

    public AgentLinks(Timers timers, Duration offlineGrace, WriteQueue writer, WallClock clock) {
        this(timers, offlineGrace, writer, clock, null);
    }

    /** With {@code shared} non-null, online and offline are published by the cluster, not by this gateway. */
    public AgentLinks(Timers timers, Duration offlineGrace, WriteQueue writer, WallClock clock, SharedLinks shared) {
        this.timers = timers;
        this.offlineGrace = offlineGrace;
        this.writer = writer;
        this.clock = clock;
        this.shared = shared;
        this.claims = shared == null ? null : new ClusterClaims(shared, System::nanoTime);
        if (shared != null) {
            shared.onRelinked(claims::newLink);
        }
    }

    /** Makes {@code session} the agent's current link after its hello; returns the link it replaces, or null. */
    public AgentSession attach(AgentSession session) {
        AgentSession[] replaced = new AgentSession[1];
        agents.compute(session.agentId(), (id, state) -> {
            replaced[0] = state == null ? null : state.current();
            return new State(session, state == null ? 1 : state.generation() + 1, false, System.currentTimeMillis(),
                    session.devices());
        });
        if (claims != null) {
            claims.newLink(session.agentId());
        }
        Map<String, String> claimed = claimAll(session.agentId(), session.devices());
        for (String device : session.devices()) {
            String owner = claimed.getOrDefault(device, "another agent");
            if (!session.agentId().equals(owner)) {
                LOG.warn("{} - lists {}, which is owned by {} (connected or within its grace period); its statuses"
                        + " for it are refused until then", session.agentId(), device, owner);
            }
        }
        return replaced[0];
    }

    /**
     * PROTOCOL.md §3: whether {@code agentId} may store a status for {@code deviceId}. A device without an owner
     * becomes this agent's; one owned by another agent that is connected, or lost but within its grace period,
     * is refused (counted, logged once per agent and device); one whose owner is gone past its grace period moves
     * to this agent (logged). Issue 15: on a shared store the cluster decides, so an owner connected to another
     * gateway counts too; a link asks it once per device it may report.
     */
    public boolean mayReport(String agentId, String deviceId) {
        if (claims != null && claims.confirmed(agentId, deviceId)) {
            return true;
        }
        String owner = claimAll(agentId, List.of(deviceId)).getOrDefault(deviceId, "another agent");
        if (owner.equals(agentId)) {
            return true;
        }
        conflicts.increment();
        if (conflictsLogged.add(agentId + " " + deviceId)) {
            LOG.warn("{} - status for {} refused: owned by {}", agentId, deviceId, owner);
        }
        return false;
    }

    /**
     * Each device's owner after this agent's claim (absent: unknown, refused this time). On a shared store the
     * cluster decides (and the answer is kept for the error frame and the link's later statuses); while its database
     * does not answer, this gateway's own view does, as on one gateway: the store refuses the statuses meanwhile.
     */
    private Map<String, String> claimAll(String agentId, List<String> devices) {
        Map<String, String> answered = claims == null || devices.isEmpty() ? null : claims.claim(agentId, devices);
        Map<String, String> result = new HashMap<>();
        for (String device : devices) {
            String owner = answered == null ? claim(agentId, device) : answered.get(device);
            if (owner == null) {
                continue;
            }
            if (answered != null) {
                owners.put(device, owner);
                if (owner.equals(agentId)) {
                    conflictsLogged.remove(agentId + " " + device);
                }
            }
            result.put(device, owner);
        }
        return result;
    }

    /**
     * PROTOCOL.md §3 welcome.last_seq: {@code writerMark} (what this gateway's writer committed), or on a shared
     * store at least the highest seq of the agent any gateway committed, since the agent may come from another
     * gateway. Never above what is committed: the agent deletes its spool up to it. While the database does not
     * answer, the writer's mark (lower is safe: the resends are stored once).
     */
    public long welcomeMark(String agentId, long writerMark) {
        if (claims == null) {
            return writerMark;
        }
        Long stored = claims.storedMark(agentId);
        return stored == null ? writerMark : Math.max(writerMark, stored);
    }

    /** The device's owner after this agent's claim: this agent, or the other active agent that keeps it. */
    private String claim(String agentId, String deviceId) {
        String[] previous = new String[1];
        String owner = owners.compute(deviceId, (device, current) -> {
            if (current == null || current.equals(agentId)) {
                return agentId;
            }
            State state = agents.get(current);
            if (state != null && state.active()) {
                return current;
            }
            previous[0] = current;
            return agentId;
        });
        if (previous[0] != null) {
            LOG.info("{} - takes over {} from {} (offline past the grace period)", agentId, deviceId, previous[0]);
            conflictsLogged.remove(previous[0] + " " + deviceId);
        }
        if (owner.equals(agentId)) {
            conflictsLogged.remove(agentId + " " + deviceId);
        }
        return owner;
    }

    /** The agent that owns {@code deviceId}, if any (PROTOCOL.md §3). */
    public Optional<String> owner(String deviceId) {
        return Optional.ofNullable(owners.get(deviceId));
    }

    /** Statuses refused because their device belongs to another agent (the conflicts metric). */
    public long ownershipConflicts() {
        return conflicts.sum();
    }

    /**
     * After the welcome (and after the replaced link was closed, so its leftovers are queued first): tells the
     * writer the agent resends from its mark, and brings back online the devices its lost link took offline.
     */
    public void resumed(AgentSession session) {
        // Also without devices: the writer lifts this agent's fence (see StoreWriter).
        writer.submit(new WriteCommand.NewLink(session.agentId()));
        if (shared != null) {
            shared.up(session.agentId(), session.devices()); // the cluster's sweep brings its devices back online
            return;
        }
        List<String> devices = owned(session.agentId(), session.devices());
        if (!devices.isEmpty()) {
            String agentId = session.agentId();
            writer.submit(new WriteCommand.Publish(statuses(devices, StatusKind.ONLINE, LINK_BACK),
                    (device, last) -> lostByLink(device, last) && agentId.equals(owners.get(device))));
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
            return new State(null, state.generation(), false, System.currentTimeMillis(), state.devices());
        });
        if (generation[0] >= 0) {
            lost.increment();
            List<String> devices = session.devices();
            LOG.info("{} - link lost; offline in {} s unless it reconnects", session.agentId(),
                    offlineGrace.toSeconds());
            if (shared != null) {
                shared.lost(session.agentId());
            }
            // On a shared store the timer only ends the local ownership; the cluster's sweep publishes the offline.
            timers.schedule(() -> graceOver(session.agentId(), generation[0], devices), offlineGrace);
        }
    }

    /**
     * PROTOCOL.md §3 goodbye: the agent stops on purpose. If {@code session} is its current link, the link ends
     * here (so its close starts no grace period and no later "agent connection lost" can follow), its devices are
     * free for another agent at once, and each device it owns gets one offline "agent stopped" now. A new hello brings
     * them back online as after a lost link.
     */
    public void goodbye(AgentSession session) {
        String agentId = session.agentId();
        long[] generation = {-1};
        agents.computeIfPresent(agentId, (id, state) -> {
            if (state.current() != session) {
                return state;
            }
            generation[0] = state.generation();
            return new State(null, state.generation(), true, System.currentTimeMillis(), state.devices());
        });
        if (generation[0] >= 0) {
            if (claims != null) {
                // Issue 15: the cluster ends the link row, publishes the "agent stopped" offline and frees the
                // devices in one transaction, so no sweep can bring them back online in between.
                claims.stopped(agentId);
                return;
            }
            publishStopped(agentId, generation[0], session.devices());
        }
    }

    private void publishStopped(String agentId, long generation, List<String> reported) {
        List<String> devices = owned(agentId, reported);
        if (!stillLost(agentId, generation) || devices.isEmpty()) {
            return;
        }
        WriteCommand.Publish offline = new WriteCommand.Publish(statuses(devices, StatusKind.OFFLINE, STOPPED),
                (device, last) -> stillLost(agentId, generation) && agentId.equals(owners.get(device)));
        if (!writer.submit(offline)) {
            // The writer is saturated: try again shortly rather than forget the offline.
            timers.schedule(() -> publishStopped(agentId, generation, reported), RETRY);
        }
    }

    private void graceOver(String agentId, long generation, List<String> reported) {
        agents.computeIfPresent(agentId, (id, state) -> state.current() == null && state.generation() == generation
                ? new State(null, generation, true, state.since(), state.devices())
                : state); // its devices may now move to another agent
        List<String> devices = owned(agentId, reported);
        if (shared != null || !stillLost(agentId, generation) || devices.isEmpty()) {
            return;
        }
        // Online/offline follow the owner only: a device taken over meanwhile is not taken offline.
        WriteCommand.Publish offline = new WriteCommand.Publish(statuses(devices, StatusKind.OFFLINE, LINK_LOST),
                (device, last) -> stillLost(agentId, generation) && agentId.equals(owners.get(device)));
        if (!writer.submit(offline)) {
            // The writer is saturated: try again shortly rather than forget the offline.
            timers.schedule(() -> graceOver(agentId, generation, reported), RETRY);
        }
    }

    private boolean stillLost(String agentId, long generation) {
        State state = agents.get(agentId);
        return state != null && state.current() == null && state.generation() == generation;
    }

    /**
     * Issue 14.7: after a restart no agent is connected, and a device whose agent never comes back would show its
     * last status forever. Starts the grace period for every device whose last stored status is not offline; at its
     * end, publishes offline (once, as a lost link, so a later hello brings it back online) for each such device no
     * agent has claimed since (by its hello or a status). A device whose agent came back and left again gets its
     * offline from that link's own grace period instead.
     */
    public void restarted(List<StoredEvent> lastStatuses) {
        if (shared != null) {
            // Issue 15: on a shared store the links outlive the gateway (agent_links, released or expired with its
            // lease), so the cluster's sweep takes them offline; and the devices held by another gateway's agents
            // are not this gateway's to take offline.
            return;
        }
        List<String> devices = lastStatuses.stream().filter(e -> e.status() != StatusKind.OFFLINE)
                .map(StoredEvent::deviceId).toList();
        if (devices.isEmpty()) {
            return;
        }
        LOG.info("{} devices were not offline when the gateway stopped; offline in {} s unless their agents say"
                + " hello", devices.size(), offlineGrace.toSeconds());
        timers.schedule(() -> restartGraceOver(devices), offlineGrace);
    }

    private void restartGraceOver(List<String> devices) {
        List<String> orphans = devices.stream().filter(device -> !owners.containsKey(device)).toList();
        if (orphans.isEmpty()) {
            return;
        }
        WriteCommand.Publish offline = new WriteCommand.Publish(statuses(orphans, StatusKind.OFFLINE, LINK_LOST),
                (device, last) -> !owners.containsKey(device) && last != null && last.status() != StatusKind.OFFLINE);
        if (writer.submit(offline)) {
            LOG.info("{} devices whose agents did not come back after the restart are now offline", orphans.size());
        } else {
            timers.schedule(() -> restartGraceOver(orphans), RETRY);
        }
    }

    private List<String> owned(String agentId, List<String> devices) {
        return devices.stream().filter(device -> agentId.equals(owners.get(device))).toList();
    }

    /** True when the device's last status is the offline a lost link, or its agent's goodbye, caused. */
    static boolean lostByLink(String deviceId, WriteSession.DeviceState last) {
        return last != null && last.status() == StatusKind.OFFLINE
                && (LINK_LOST.equals(last.result()) || STOPPED.equals(last.result()));
    }

    private List<DeviceStatus> statuses(List<String> devices, StatusKind kind, String result) {
        return devices.stream().map(device -> DeviceStatus.link(device, kind, result, clock.now())).toList();
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
