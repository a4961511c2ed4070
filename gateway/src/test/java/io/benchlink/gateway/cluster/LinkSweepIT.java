package io.benchlink.gateway.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.benchlink.common.time.WallClock;
import io.benchlink.gateway.agents.AgentLinks;
import io.benchlink.gateway.store.StoredEvent;
import io.benchlink.gateway.store.postgres.PostgresEventStore;
import io.benchlink.gateway.testing.ClusterDatabase;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Offline detection across gateways: leases and link rows in the shared database, swept under the seq lock. */
@Timeout(60)
class LinkSweepIT {
    private static final Duration GRACE = Duration.ofSeconds(1);
    private final WallClock clock = WallClock.of(ZoneId.of("Europe/Moscow"));
    @RegisterExtension
    final ClusterDatabase database = new ClusterDatabase();
    private final PostgresEventStore a = database.store();
    private final PostgresEventStore b = database.store();

    private List<String> offlines() {
        return a.eventsAfter(0, null, 1_000).stream()
                .filter(e -> e.json().contains("\"status\":\"offline\"")).map(StoredEvent::deviceId).toList();
    }

    @Test
    void publishesOfflineOnceAfterTheGraceOfALinkLostOnALiveGateway() throws Exception {
        GatewayLease onA = new GatewayLease(a, "gw-a", Duration.ofSeconds(30));
        onA.renew();
        onA.linkUp("rig-1", List.of("bench-1", "bench-2"));
        onA.linkLost("rig-1");
        LinkSweep sweepA = new LinkSweep(a, clock, GRACE);
        LinkSweep sweepB = new LinkSweep(b, clock, GRACE);

        assertThat(sweepB.sweep()).isEmpty(); // inside the grace period
        await().atMost(Duration.ofSeconds(10)).until(() -> !sweepB.sweep().isEmpty());
        assertThat(sweepA.sweep()).isEmpty();
        assertThat(offlines()).containsExactly("bench-1", "bench-2");
        assertThat(a.lastStatus("bench-1").orElseThrow().json()).contains(AgentLinks.LINK_LOST);
    }

    @Test
    void anAgentThatSaidHelloOnAnotherGatewayWithinTheGraceGetsNoOffline() throws Exception {
        GatewayLease onA = new GatewayLease(a, "gw-a", Duration.ofSeconds(30));
        GatewayLease onB = new GatewayLease(b, "gw-b", Duration.ofSeconds(30));
        onA.renew();
        onB.renew();
        onA.linkUp("rig-1", List.of("bench-1"));
        onA.linkLost("rig-1");
        onB.linkUp("rig-1", List.of("bench-1"));
        onA.linkLost("rig-1"); // a late close of the old link on A changes nothing: the link is B's now

        long until = System.nanoTime() + GRACE.multipliedBy(2).toNanos();
        LinkSweep sweep = new LinkSweep(a, clock, GRACE);
        await().atMost(Duration.ofSeconds(10)).until(() -> sweep.sweep().isEmpty() && System.nanoTime() > until);
        assertThat(offlines()).isEmpty();
    }

    @Test
    void aDeadGatewaysAgentsGoOfflineExactlyOnceWhileSurvivorsSweepAtOnce() throws Exception {
        GatewayLease dying = new GatewayLease(a, "gw-dead", Duration.ofSeconds(1));
        dying.renew();
        dying.linkUp("rig-1", List.of("bench-1"));
        dying.linkUp("rig-2", List.of("bench-2", "bench-3"));
        // gw-dead never renews again; two survivors (four sweepers) race from now on
        List<LinkSweep> sweepers = List.of(new LinkSweep(a, clock, GRACE), new LinkSweep(b, clock, GRACE),
                new LinkSweep(a, clock, GRACE), new LinkSweep(b, clock, GRACE));
        ExecutorService threads = Executors.newFixedThreadPool(4);
        List<Future<Integer>> published = new ArrayList<>();
        for (LinkSweep sweeper : sweepers) {
            published.add(threads.submit(() -> {
                int count = 0;
                long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                while (System.nanoTime() < end) {
                    count += sweeper.sweep().size();
                }
                return count;
            }));
        }
        int total = 0;
        for (Future<Integer> f : published) {
            total += f.get();
        }
        threads.shutdown();
        assertThat(total).isEqualTo(3);
        assertThat(offlines()).containsExactlyInAnyOrder("bench-1", "bench-2", "bench-3");
    }

    @Test
    void bringsDevicesBackOnlineOnceWhenTheirAgentReturnsToAnyGateway() throws Exception {
        GatewayLease onA = new GatewayLease(a, "gw-a", Duration.ofSeconds(30));
        GatewayLease onB = new GatewayLease(b, "gw-b", Duration.ofSeconds(30));
        onA.renew();
        onB.renew();
        onA.linkUp("rig-1", List.of("bench-1"));
        onA.linkLost("rig-1");
        LinkSweep sweep = new LinkSweep(b, clock, GRACE);
        await().atMost(Duration.ofSeconds(10)).until(() -> !sweep.sweep().isEmpty());

        onB.linkUp("rig-1", List.of("bench-1"));
        List<StoredEvent> back = sweep.sweep();
        assertThat(back).hasSize(1);
        assertThat(back.get(0).json()).contains("\"status\":\"online\"", AgentLinks.LINK_BACK);
        assertThat(new LinkSweep(a, clock, GRACE).sweep()).isEmpty();
    }
}
