package io.benchlink.gateway.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.benchlink.common.time.WallClock;
import io.benchlink.gateway.store.StoredEvent;
import io.benchlink.gateway.store.postgres.PostgresEventStore;
import io.benchlink.gateway.store.postgres.PostgresLocation;
import io.benchlink.gateway.testing.PostgresServer;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Two members on one database: a member that stops renewing (as a SIGKILLed gateway does) is taken over. */
@Timeout(60)
class ClusterMemberIT {
    private final WallClock clock = WallClock.of(ZoneId.of("Europe/Moscow"));

    private static long offlines(PostgresEventStore store, String device) {
        return store.eventsAfter(0, device, 100).stream().map(StoredEvent::json)
                .filter(json -> json.contains("\"status\":\"offline\"")).count();
    }

    @Test
    void aSurvivorPublishesOfflineOnceForTheAgentsOfAMemberThatStoppedRenewing() throws Exception {
        String url = PostgresServer.shared().createDatabase();
        try (PostgresEventStore a = PostgresEventStore.open(PostgresLocation.of(url, Map.of()));
             PostgresEventStore b = PostgresEventStore.open(PostgresLocation.of(url, Map.of()))) {
            Duration grace = Duration.ofSeconds(1);
            ClusterMember survivor = new ClusterMember(b, clock, grace, Duration.ofSeconds(3));
            survivor.start();
            // the dying member: it takes a short lease and records its agent, then never renews (no close either)
            GatewayLease dying = new GatewayLease(a, "gw-killed", Duration.ofSeconds(1));
            dying.renew();
            dying.linkUp("rig-1", List.of("bench-1"));
            long killed = System.nanoTime();

            await().atMost(Duration.ofSeconds(20)).until(() -> offlines(b, "bench-1") == 1);
            Duration took = Duration.ofNanos(System.nanoTime() - killed);
            survivor.close();

            assertThat(took).isLessThan(grace.plusSeconds(15)); // the bound: grace + 15 s of the death
            assertThat(offlines(a, "bench-1")).isEqualTo(1);
        }
    }

    @Test
    void anAgentRecordedByAMemberThatClosedCleanlyGoesOfflineAfterTheGraceIfItDoesNotReturn() throws Exception {
        String url = PostgresServer.shared().createDatabase();
        try (PostgresEventStore a = PostgresEventStore.open(PostgresLocation.of(url, Map.of()));
             PostgresEventStore b = PostgresEventStore.open(PostgresLocation.of(url, Map.of()))) {
            Duration grace = Duration.ofSeconds(1);
            ClusterMember leaving = new ClusterMember(a, clock, grace, Duration.ofSeconds(30));
            ClusterMember staying = new ClusterMember(b, clock, grace, Duration.ofSeconds(30));
            leaving.start();
            staying.start();
            leaving.linkUp("rig-1", List.of("bench-1"));
            staying.linkUp("rig-2", List.of("bench-2"));
            leaving.close();

            await().atMost(Duration.ofSeconds(15)).until(() -> offlines(b, "bench-1") == 1);
            assertThat(offlines(b, "bench-2")).isZero();
            staying.close();
        }
    }

    @Test
    void aLinkChangeMadeWhileTheDatabaseIsDownIsRecordedOnceItIsBack() throws Exception {
        try (PostgresServer server = PostgresServer.start(false)) {
            String url = server.createDatabase();
            try (PostgresEventStore store = PostgresEventStore.open(PostgresLocation.of(url, Map.of()))) {
                ClusterMember member = new ClusterMember(store, clock, Duration.ofSeconds(30), Duration.ofSeconds(30));
                member.start();
                member.linkUp("rig-1", List.of("bench-1"));
                await().atMost(Duration.ofSeconds(10)).until(() -> links(url).equals(List.of("rig-1 up")));

                server.stop();
                member.linkLost("rig-1"); // fails: the database is down
                member.linkUp("rig-2", List.of("bench-2"));
                server.restart();

                await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                        .until(() -> links(url).equals(List.of("rig-1 lost", "rig-2 up")));
                member.close();
            }
        }
    }

    private static List<String> links(String url) throws java.sql.SQLException {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(url);
             java.sql.ResultSet rs = c.createStatement().executeQuery(
                     "SELECT agent_id, lost_at IS NULL FROM agent_links ORDER BY agent_id")) {
            List<String> rows = new java.util.ArrayList<>();
            while (rs.next()) {
                rows.add(rs.getString(1) + (rs.getBoolean(2) ? " up" : " lost"));
            }
            return rows;
        }
    }
}
