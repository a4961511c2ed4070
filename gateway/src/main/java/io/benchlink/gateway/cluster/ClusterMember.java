package io.benchlink.gateway.cluster;

import io.benchlink.common.concurrent.NamedThreadFactory;
import io.benchlink.common.time.WallClock;
import io.benchlink.gateway.agents.AgentLinks;
import io.benchlink.gateway.store.StoreException;
import io.benchlink.gateway.store.postgres.PostgresEventStore;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This gateway as a member of a cluster on one PostgreSQL database: renews its {@link GatewayLease} three times per
 * lease length, records its agents' links as they come and go, and runs the {@link LinkSweep} once a second. Link
 * changes are handed to its own thread, so WebSocket threads never wait for the database; a failed step is logged
 * once and retried on the next tick (the database may be restarting). Device claims and the agent's stored mark
 * are asked of the database at once, on the caller's thread (a hello, or an agent's first status for a device on a
 * link): their answer decides what the agent is told.
 *
 * <p>A database outage longer than the lease lets every lease lapse: when the database is back, this gateway judges
 * links only after two renewals of presence ({@link #settled}), and records again the links it still holds if a sweep
 * elsewhere deleted them meanwhile ({@link #reassert}), so a connected agent's devices are not left offline.
 *
 * <p>Owned by: {@code gateway-cluster}; {@link #claim} and {@link #storedMark} are safe from any thread.
 */
public final class ClusterMember implements AutoCloseable, AgentLinks.SharedLinks {
    /** Long enough to ride out a pause of a few seconds, short enough for offline within grace + 15 s of a death. */
    public static final Duration LEASE = Duration.ofSeconds(6);
    private static final Logger LOG = LoggerFactory.getLogger(ClusterMember.class);
    private static final Duration SWEEP = Duration.ofSeconds(1);
    private static final long ABSENT = Long.MIN_VALUE;
    // Renewals run every third of the lease, and one that fails waits up to the pool's 3 s connection timeout first:
    // two renewal intervals plus that leave every gateway back from an outage the time for one renewal.
    private static final Duration POOL_TIMEOUT = Duration.ofSeconds(3);

    private final GatewayLease lease;
    private final LinkSweep sweep;
    private final DeviceOwners owners;
    private final PostgresEventStore store;
    private final ScheduledExecutorService thread =
            Executors.newSingleThreadScheduledExecutor(NamedThreadFactory.single("gateway-cluster"));
    private volatile boolean failing;
    // Link changes not yet recorded (the database was down), the latest per agent, retried on every tick: a dropped
    // linkUp would leave a dead agent without its offline, a dropped linkLost would keep its devices online forever.
    // Touched on the cluster thread only.
    private final Map<String, Step> unrecorded = new LinkedHashMap<>();
    // The links this gateway holds now (agent_id → its hello's devices), as the changes were handed over: what it
    // records again after its lease lapsed (reassert). Touched on the cluster thread only.
    private final Map<String, List<String>> live = new HashMap<>();
    private final WallClock clock;
    private volatile Consumer<String> relinked = agentId -> { };
    // When this gateway last began to be present in the cluster: its first successful step after a failure, or a
    // renewal that found its lease lapsed (System.nanoTime; ABSENT while the database does not answer).
    private long presentSince = ABSENT;
    // After a failed step or a lapsed lease: the links held here must be recorded again once the lease is renewed.
    private boolean reassertDue;

    public ClusterMember(PostgresEventStore store, WallClock clock, Duration offlineGrace, Duration lease) {
        this.lease = new GatewayLease(store, UUID.randomUUID().toString(), lease);
        this.sweep = new LinkSweep(store, clock, offlineGrace);
        this.owners = new DeviceOwners(store, offlineGrace);
        this.store = Objects.requireNonNull(store, "store");
        this.clock = clock;
    }

    /** Takes the lease (failing start-up if the database refuses) and starts renewing and sweeping. */
    public void start() throws SQLException {
        lease.renew();
        // A gateway that starts judges links at once, as before: the links of the gateways it may find are theirs to
        // renew, and nothing says they were just cut off.
        presentSince = System.nanoTime() - settling().toNanos();
        long renew = lease.length().toMillis() / 3;
        thread.scheduleWithFixedDelay(() -> step("renew the lease", this::renew), renew, renew, TimeUnit.MILLISECONDS);
        thread.scheduleWithFixedDelay(() -> step("sweep agent links", () -> {
            recordLinks();
            sweep.sweep(settled());
        }), SWEEP.toMillis(), SWEEP.toMillis(), TimeUnit.MILLISECONDS);
        LOG.info("cluster member {} (lease {} s)", lease.gatewayId(), lease.length().toSeconds());
    }

    @Override
    public void onRelinked(Consumer<String> listener) {
        relinked = Objects.requireNonNull(listener, "listener");
    }

    private void renew() throws Exception {
        if (lease.renew()) {
            LOG.info("cluster: this gateway's lease had lapsed; it judges other gateways' links again in {} s",
                    settling().toSeconds());
            presentSince = System.nanoTime();
            reassertDue = true;
        }
        if (reassertDue) {
            recordLinks(); // first the changes still pending, so that only rows a sweep deleted are missing
            reassert();
            reassertDue = false;
        }
    }

    /**
     * Records again the links held here that a sweep elsewhere deleted while this gateway's lease had lapsed. Under
     * the seq lock, as the sweeps run: a sweep that judged the old lease before the renewal either committed before
     * (its deletions are seen and undone here) or runs after (and sees the renewed lease), so no live link is lost.
     */
    private void reassert() {
        if (live.isEmpty()) {
            return;
        }
        List<String> again = new ArrayList<>();
        store.publishLocked(clock, c -> {
            again.addAll(lease.reassert(c, live));
            return List.of();
        });
        if (!again.isEmpty()) {
            LOG.warn("cluster: {} agent links still connected here had been taken offline by another gateway while"
                    + " this gateway's lease had lapsed; recorded again (their devices come back online): {}",
                    again.size(), again);
            again.forEach(relinked);
        }
    }

    /**
     * Whether this gateway has been present again (reaching the database, its lease unlapsed) for {@link #settling},
     * so that every other gateway that was cut off with it (a database outage or failover ends for all at once) has
     * had the time to renew its lease and record its link changes. Until then its sweep only brings devices back
     * online: judging links would take their live agents offline, since their leases expired during the outage
     * through no fault of theirs.
     */
    private boolean settled() {
        return presentSince != ABSENT && System.nanoTime() - presentSince >= settling().toNanos();
    }

    private Duration settling() {
        return lease.length().dividedBy(3).multipliedBy(2).plus(POOL_TIMEOUT);
    }

    public String gatewayId() {
        return lease.gatewayId();
    }

    /** An agent said hello here. */
    public void linkUp(String agentId, List<String> devices) {
        List<String> copy = List.copyOf(devices);
        record(agentId, () -> {
            live.put(agentId, copy);
            return () -> lease.linkUp(agentId, copy);
        });
    }

    /** An agent's current link here went away. */
    public void linkLost(String agentId) {
        record(agentId, () -> {
            live.remove(agentId);
            return () -> lease.linkLost(agentId);
        });
    }

    @Override
    public void up(String agentId, List<String> devices) {
        linkUp(agentId, devices);
    }

    @Override
    public void lost(String agentId) {
        linkLost(agentId);
    }

    /** PROTOCOL.md §3 goodbye: the cluster publishes its "agent stopped" offline ({@link LinkSweep#stopped}). */
    @Override
    public void stopped(String agentId) {
        record(agentId, () -> {
            List<String> devices = live.remove(agentId);
            List<String> listed = devices == null ? List.of() : devices;
            return () -> sweep.stopped(agentId, lease.gatewayId(), listed);
        });
    }

    @Override
    public Map<String, String> claim(String agentId, List<String> devices) {
        try {
            return owners.claim(agentId, devices);
        } catch (SQLException e) {
            throw new StoreException("cannot claim devices ("
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse("") + ")", e);
        }
    }

    @Override
    public long storedMark(String agentId) {
        return store.agentMark(agentId);
    }

    /** On the cluster thread: {@code change} notes the change in {@link #live} and returns how to record it. */
    private void record(String agentId, Supplier<Step> change) {
        thread.execute(() -> {
            Step step = change.get();
            unrecorded.remove(agentId); // re-inserted last: changes are recorded in the order they happened
            unrecorded.put(agentId, step);
            step("record agent links", this::recordLinks);
        });
    }

    private void recordLinks() throws Exception {
        for (Iterator<Step> pending = unrecorded.values().iterator(); pending.hasNext(); ) {
            pending.next().run();
            pending.remove();
        }
    }

    private interface Step {
        void run() throws Exception;
    }

    private void step(String what, Step step) {
        try {
            step.run();
            if (failing) {
                LOG.info("cluster: database reachable again");
                failing = false;
            }
            if (presentSince == ABSENT) {
                presentSince = System.nanoTime();
            }
        } catch (Throwable e) {
            // the database may be restarting: say so once, keep the schedule alive and try again on the next tick
            if (!failing) {
                LOG.warn("cluster: cannot {} ({})", what, e.getMessage());
                failing = true;
            }
            presentSince = ABSENT;
            reassertDue = true;
        }
    }

    /** A clean stop: the links held here count as lost from now, for the other gateways' sweeps. */
    @Override
    public void close() {
        thread.shutdown();
        try {
            if (!thread.awaitTermination(2, TimeUnit.SECONDS)) {
                LOG.warn("cluster thread did not stop within 2 s");
                thread.shutdownNow();
            }
            lease.release();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (SQLException e) {
            LOG.warn("cluster: cannot release the lease ({}); it expires by itself", e.getMessage());
        }
    }
}
