package io.benchlink.gateway.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.benchlink.common.time.WallClock;
import io.benchlink.gateway.store.StoreException;
import io.benchlink.gateway.store.WriteSession;
import io.benchlink.gateway.store.postgres.PostgresEventStore;
import io.benchlink.gateway.testing.CapturedLogs;
import io.benchlink.gateway.testing.PostgresDatabase;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * This gateway as a cluster member, against a real server: its lease taken at start and released at a clean stop,
 * link changes recorded on its own thread in the order they happened (and again once the database is back), claims
 * and marks asked at once, and the sweep run by its schedule.
 */
@Timeout(60)
class ClusterMemberTest {
    private static final Duration GRACE = Duration.ofSeconds(30);
    private final WallClock clock = WallClock.of(ZoneOffset.UTC);
    private PostgresDatabase db;
    private PostgresEventStore store;
    private ClusterMember member;

    @BeforeEach
    void open() {
        db = PostgresDatabase.create();
        store = db.open();
        member = new ClusterMember(store, clock, GRACE, Duration.ofSeconds(60));
    }

    @AfterEach
    void close() {
        member.close();
        db.close();
    }

    private List<String> links() {
        return db.rows("SELECT agent_id, array_to_string(devices, ','),"
                + " CASE WHEN lost_at IS NULL THEN 'up' ELSE 'lost' END FROM agent_links ORDER BY agent_id");
    }

    @Test
    void takesItsLeaseUnderAFreshIdAtStartAndReleasesItWithItsLinksAtAStop() throws Exception {
        assertThat(UUID.fromString(member.gatewayId())).isNotNull();
        assertThat(new ClusterMember(store, clock, GRACE, Duration.ofSeconds(60)).gatewayId())
                .isNotEqualTo(member.gatewayId());
        member.start();
        assertThat(db.rows("SELECT gateway_id, expires_at > clock_timestamp() + interval '50 seconds'"
                + " FROM gateway_leases")).containsExactly(member.gatewayId() + " t");
        member.up("rig-1", List.of("bench-1"));
        await().atMost(Duration.ofSeconds(20)).until(() -> links().equals(List.of("rig-1 bench-1 up")));

        try (CapturedLogs logs = new CapturedLogs()) {
            member.close();
            assertThat(logs.lines()).noneMatch(l -> l.contains("cluster thread did not stop"));
        }
        assertThat(db.rows("SELECT gateway_id FROM gateway_leases")).isEmpty();
        assertThat(links()).containsExactly("rig-1 bench-1 lost");
    }

    @Test
    void aRecordedLinkChangeIsNotRecordedAgainOnLaterTicks() throws Exception {
        member.start();
        member.up("rig-1", List.of("bench-1"));
        member.up("rig-2", List.of("bench-2"));
        await().atMost(Duration.ofSeconds(20)).until(() -> links().size() == 2);
        GatewayLease onB = new GatewayLease(store, "gw-b", Duration.ofSeconds(60));
        onB.renew();
        onB.linkUp("rig-1", List.of("bench-1")); // the agent moved to another gateway
        member.lost("rig-2");
        await().atMost(Duration.ofSeconds(20)).until(() -> links().contains("rig-2 bench-2 lost"));
        db.execute("UPDATE agent_links SET lost_at = clock_timestamp() - interval '1 minute' WHERE agent_id = 'rig-2'");

        // the tick that publishes rig-2's offline has recorded whatever it still held before it swept
        await().atMost(Duration.ofSeconds(20)).until(() -> store.eventCount() == 1);
        assertThat(db.rows("SELECT agent_id, gateway_id FROM agent_links")).containsExactly("rig-1 gw-b");
    }

    @Test
    void recordsLinkChangesInTheOrderTheyHappened() throws Exception {
        member.start();
        member.up("rig-1", List.of("bench-1"));
        member.lost("rig-1");
        member.linkUp("rig-2", List.of("bench-2"));
        member.linkUp("rig-3", List.of("bench-3"));
        member.linkLost("rig-3");
        member.linkUp("rig-3", List.of("bench-3", "bench-4"));
        await().atMost(Duration.ofSeconds(20)).until(() -> links().size() == 3 && links().get(2).endsWith("4 up"));
        assertThat(links()).containsExactly("rig-1 bench-1 lost", "rig-2 bench-2 up", "rig-3 bench-3,bench-4 up");
    }

    @Test
    void aGoodbyeEndsTheLinkAndFreesTheAgentsDevices() throws Exception {
        member.start();
        member.claim("rig-1", List.of("bench-1"));
        member.up("rig-1", List.of("bench-1"));
        await().atMost(Duration.ofSeconds(20)).until(() -> links().size() == 1);
        member.stopped("rig-1");
        await().atMost(Duration.ofSeconds(20)).until(() -> links().isEmpty()
                && db.rows("SELECT device_id FROM device_owners").isEmpty());
    }

    @Test
    void claimsAndStoredMarksAreAnsweredAtOnceFromTheDatabase() throws Exception {
        assertThat(member.claim("rig-1", List.of("bench-1"))).isEqualTo(Map.of("bench-1", "rig-1"));
        assertThat(member.claim("rig-2", List.of("bench-1"))).isEqualTo(Map.of("bench-1", "rig-1"));
        try (WriteSession session = store.openWriter()) {
            long seq = session.begin();
            session.saveAgentMark("rig-1", 42);
            session.commit(seq);
        }
        assertThat(member.storedMark("rig-1")).isEqualTo(42);
    }

    @Test
    void aClaimTheDatabaseRefusesFailsInOneLine() {
        store.close();
        assertThatThrownBy(() -> member.claim("rig-1", List.of("bench-1"))).isInstanceOf(StoreException.class)
                .hasMessageStartingWith("cannot claim devices (").hasMessageNotContaining("\n");
    }

    @Test
    void aLinkChangeThatFailedIsRecordedOnALaterTickSayingOnceThatItFailedAndOnceThatItWorksAgain() throws Exception {
        member.start();
        try (CapturedLogs logs = new CapturedLogs()) {
            db.execute("ALTER TABLE agent_links RENAME TO agent_links_away");
            member.up("rig-1", List.of("bench-1"));
            await().atMost(Duration.ofSeconds(20)).until(() -> logs.lines().stream()
                    .anyMatch(l -> l.contains("cluster: cannot ")));
            member.up("rig-2", List.of("bench-2"));
            db.execute("ALTER TABLE agent_links_away RENAME TO agent_links");

            await().atMost(Duration.ofSeconds(20)).until(() -> links().size() == 2);
            assertThat(links()).containsExactly("rig-1 bench-1 up", "rig-2 bench-2 up");
            await().atMost(Duration.ofSeconds(20)).until(() -> clusterLines(logs).size() >= 2);
            assertThat(clusterLines(logs)).hasSize(2);
            assertThat(clusterLines(logs).get(0)).contains("cluster: cannot ");
            assertThat(clusterLines(logs).get(1)).contains("cluster: database reachable again");
        }
    }

    private static List<String> clusterLines(CapturedLogs logs) {
        return logs.lines().stream().filter(l -> l.contains("cluster: ")).toList();
    }

    @Test
    void sweepsOnItsOwnSchedule() throws Exception {
        member.start();
        member.up("rig-1", List.of("bench-1"));
        await().atMost(Duration.ofSeconds(20)).until(() -> links().size() == 1);
        member.lost("rig-1");
        await().atMost(Duration.ofSeconds(20)).until(() -> links().equals(List.of("rig-1 bench-1 lost")));
        db.execute("UPDATE agent_links SET lost_at = clock_timestamp() - interval '1 minute'");

        await().atMost(Duration.ofSeconds(20)).until(() -> store.eventCount() == 1);
        assertThat(store.eventsAfter(0, null, 1).get(0).json()).contains("\"status\":\"offline\"");
    }

    @Test
    void renewsItsLeaseWellInsideItsLength() throws Exception {
        try (ClusterMember shortLease = new ClusterMember(store, clock, GRACE, Duration.ofSeconds(3))) {
            shortLease.start();
            db.execute("UPDATE gateway_leases SET expires_at = clock_timestamp() - interval '1 hour'");
            await().atMost(Duration.ofSeconds(20)).until(() -> db.value("SELECT expires_at > clock_timestamp()"
                    + " FROM gateway_leases").equals("t"));
        }
    }
}
