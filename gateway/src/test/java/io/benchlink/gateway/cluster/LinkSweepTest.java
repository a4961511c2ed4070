package io.benchlink.gateway.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.benchlink.common.status.DeviceStatus;
import io.benchlink.common.status.StatusKind;
import io.benchlink.common.time.WallClock;
import io.benchlink.gateway.agents.AgentLinks;
import io.benchlink.gateway.store.StoreException;
import io.benchlink.gateway.store.StoredEvent;
import io.benchlink.gateway.store.WriteSession;
import io.benchlink.gateway.store.postgres.PostgresEventStore;
import io.benchlink.gateway.testing.PostgresDatabase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The cluster's grace periods decided from the shared tables, against a real server. Instead of waiting out a grace
 * period, a test moves the recorded moments (a link's loss, a lease's expiry) into the past by SQL, so each case is
 * decided on both sides of the grace boundary at once.
 */
@Timeout(60)
class LinkSweepTest {
    private static final Duration GRACE = Duration.ofSeconds(30);
    private final WallClock clock = new WallClock(Clock.fixed(Instant.parse("2026-03-04T05:06:07Z"), ZoneOffset.UTC));
    private PostgresDatabase db;
    private PostgresEventStore store;
    private GatewayLease onA;
    private LinkSweep sweep;

    @BeforeEach
    void open() throws Exception {
        db = PostgresDatabase.create();
        store = db.open();
        onA = new GatewayLease(store, "gw-a", Duration.ofSeconds(60));
        onA.renew();
        sweep = new LinkSweep(store, clock, GRACE);
    }

    @AfterEach
    void close() {
        db.close();
    }

    private void lostSecondsAgo(String agent, int seconds) {
        db.execute("UPDATE agent_links SET lost_at = clock_timestamp() - interval '" + seconds + " seconds'"
                + " WHERE agent_id = '" + agent + "'");
    }

    private static List<String> describe(List<StoredEvent> events) {
        return events.stream().map(e -> e.seq() + " " + e.deviceId() + " " + e.status().wireName()).toList();
    }

    @Test
    void aLinkLostForLongerThanTheGraceGetsOneOfflinePerDeviceAtTheClocksTimeAndItsRowGoes() throws Exception {
        onA.linkUp("rig-1", List.of("bench-2", "bench-1", "bench-2"));
        onA.linkUp("rig-2", List.of("bench-3"));
        onA.linkLost("rig-1");
        onA.linkLost("rig-2");
        lostSecondsAgo("rig-1", 31);
        lostSecondsAgo("rig-2", 29);

        List<StoredEvent> published = sweep.sweep();
        assertThat(describe(published)).containsExactly("1 bench-1 offline", "2 bench-2 offline");
        assertThat(published.get(0).json()).contains(AgentLinks.LINK_LOST, "\"updated_at\":\"2026-03-04T05:06:07");
        assertThat(store.eventsAfter(0, null, 10)).isEqualTo(published);
        assertThat(db.rows("SELECT agent_id FROM agent_links")).containsExactly("rig-2");
        assertThat(db.rows("SELECT DISTINCT stored_ms FROM events"))
                .containsExactly(Long.toString(clock.clock().millis()));
        assertThat(sweep.sweep()).isEmpty(); // exactly once
    }

    @Test
    void aLiveLinkOfAGatewayWhoseLeaseExpiredLongerThanTheGraceAgoGoesOffline() throws Exception {
        GatewayLease dead = new GatewayLease(store, "gw-dead", Duration.ofSeconds(60));
        GatewayLease dying = new GatewayLease(store, "gw-dying", Duration.ofSeconds(60));
        dead.renew();
        dying.renew();
        dead.linkUp("rig-1", List.of("bench-1"));
        dying.linkUp("rig-2", List.of("bench-2"));
        onA.linkUp("rig-3", List.of("bench-3"));
        db.execute("UPDATE gateway_leases SET expires_at = clock_timestamp() - interval '31 seconds'"
                + " WHERE gateway_id = 'gw-dead'");
        db.execute("UPDATE gateway_leases SET expires_at = clock_timestamp() - interval '29 seconds'"
                + " WHERE gateway_id = 'gw-dying'");

        assertThat(describe(sweep.sweep())).containsExactly("1 bench-1 offline");
        assertThat(db.rows("SELECT agent_id FROM agent_links ORDER BY 1")).containsExactly("rig-2", "rig-3");
    }

    @Test
    void aLiveLinkOfAGatewayWithoutAnyLeaseGoesOffline() throws Exception {
        new GatewayLease(store, "gw-never", Duration.ofSeconds(60)).linkUp("rig-1", List.of("bench-1"));
        assertThat(describe(sweep.sweep())).containsExactly("1 bench-1 offline");
    }

    @Test
    void aDeviceAnotherAgentOwnsIsNotTakenOfflineWithTheLinkThatListedIt() throws Exception {
        new DeviceOwners(store, GRACE).claim("rig-2", List.of("bench-2"));
        onA.linkUp("rig-1", List.of("bench-1", "bench-2"));
        onA.linkLost("rig-1");
        lostSecondsAgo("rig-1", 60);

        assertThat(describe(sweep.sweep())).containsExactly("1 bench-1 offline");
        assertThat(db.rows("SELECT agent_id FROM agent_links")).isEmpty();
    }

    @Test
    void bringsBackOnlineTheDevicesTakenOfflineByALostLinkOnceTheirAgentHoldsALinkOnALiveLease() throws Exception {
        GatewayLease expired = new GatewayLease(store, "gw-expired", Duration.ofSeconds(60));
        expired.renew();
        onA.linkUp("rig-1", List.of("bench-1", "bench-2", "bench-3"));
        onA.linkLost("rig-1");
        lostSecondsAgo("rig-1", 60);
        assertThat(sweep.sweep()).hasSize(3);
        publish(DeviceStatus.link("bench-3", StatusKind.OFFLINE, AgentLinks.STOPPED, clock.now())); // seq 4
        new DeviceOwners(store, GRACE).claim("rig-9", List.of("bench-2"));
        expired.linkUp("rig-7", List.of("bench-1"));
        db.execute("UPDATE gateway_leases SET expires_at = clock_timestamp() - interval '1 second'"
                + " WHERE gateway_id = 'gw-expired'");
        assertThat(sweep.sweep()).isEmpty(); // the lease of rig-7's gateway has run out (within the grace)

        onA.linkUp("rig-1", List.of("bench-1", "bench-2", "bench-3"));
        List<StoredEvent> back = sweep.sweep();
        // bench-2 is rig-9's now; bench-3's goodbye offline is undone by the new hello too (docs/PROTOCOL.md §3)
        assertThat(describe(back)).containsExactly("5 bench-1 online", "6 bench-3 online");
        assertThat(back).allSatisfy(event -> assertThat(event.json()).contains(AgentLinks.LINK_BACK));
        assertThat(sweep.sweep()).isEmpty();
    }

    @Test
    void anIdleSweepDoesNotWaitForAWriterHoldingTheSeqLock() throws Exception {
        onA.linkUp("rig-1", List.of("bench-1"));
        onA.linkLost("rig-1"); // lost just now: within the grace
        try (WriteSession writer = store.openWriter()) {
            writer.begin();
            assertThat(CompletableFuture.supplyAsync(sweep::sweep).get(20, TimeUnit.SECONDS)).isEmpty();
            writer.rollback();
        }
    }

    @Test
    void saysInOneLineWhenTheLinksCannotBeRead() {
        db.execute("ALTER TABLE agent_links RENAME TO agent_links_away");
        assertThatThrownBy(sweep::sweep).isInstanceOf(StoreException.class)
                .hasMessageStartingWith("cannot read agent links (");
    }

    private void publish(DeviceStatus status) {
        store.publishLocked(clock, c -> List.of(status));
    }
}
