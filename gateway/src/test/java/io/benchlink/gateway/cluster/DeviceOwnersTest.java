package io.benchlink.gateway.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.benchlink.gateway.store.postgres.PostgresEventStore;
import io.benchlink.gateway.testing.CapturedLogs;
import io.benchlink.gateway.testing.PostgresDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Device ownership shared by the gateways of one database (PROTOCOL.md §3), against a real server: a claim's moment
 * is moved into the past by SQL, so a takeover is decided on both sides of the grace boundary without waiting.
 */
@Timeout(60)
class DeviceOwnersTest {
    private static final Duration GRACE = Duration.ofSeconds(30);
    private PostgresDatabase db;
    private PostgresEventStore store;
    private DeviceOwners owners;

    @BeforeEach
    void open() {
        db = PostgresDatabase.create();
        store = db.open();
        owners = new DeviceOwners(store, GRACE);
    }

    @AfterEach
    void close() {
        db.close();
    }

    private void claimedSecondsAgo(String device, int seconds) {
        db.execute("UPDATE device_owners SET claimed_at = clock_timestamp() - interval '" + seconds + " seconds'"
                + " WHERE device_id = '" + device + "'");
    }

    private List<String> ownerRows() {
        return db.rows("SELECT device_id, agent_id FROM device_owners ORDER BY device_id");
    }

    @Test
    void aFirstClaimOwnsEveryListedDeviceOnceAndAReclaimKeepsThem() throws Exception {
        assertThat(owners.claim("rig-1", List.of("bench-1", "bench-2", "bench-1")))
                .isEqualTo(Map.of("bench-1", "rig-1", "bench-2", "rig-1"));
        claimedSecondsAgo("bench-1", 60);
        assertThat(owners.claim("rig-1", List.of("bench-1"))).isEqualTo(Map.of("bench-1", "rig-1"));
        assertThat(db.value("SELECT claimed_at > clock_timestamp() - interval '10 seconds' FROM device_owners"
                + " WHERE device_id = 'bench-1'")).isEqualTo("t"); // the reclaim renewed the claim's moment
        assertThat(ownerRows()).containsExactly("bench-1 rig-1", "bench-2 rig-1");
    }

    @Test
    void anEmptyClaimAsksNothingOfTheDatabase() throws Exception {
        store.close();
        assertThat(owners.claim("rig-1", List.of())).isEmpty();
    }

    @Test
    void anotherAgentIsRefusedWhileTheOwnerHoldsALinkOrClaimedWithinTheGrace() throws Exception {
        owners.claim("rig-1", List.of("bench-1", "bench-2"));
        new GatewayLease(store, "gw-a", Duration.ofSeconds(60)).linkUp("rig-1", List.of("bench-1"));
        claimedSecondsAgo("bench-1", 60); // long ago, but rig-1 still holds a link
        claimedSecondsAgo("bench-2", 29); // no link, but claimed within the grace

        assertThat(owners.claim("rig-2", List.of("bench-1", "bench-2", "bench-3")))
                .isEqualTo(Map.of("bench-1", "rig-1", "bench-2", "rig-1", "bench-3", "rig-2"));
        assertThat(ownerRows()).containsExactly("bench-1 rig-1", "bench-2 rig-1", "bench-3 rig-2");
    }

    @Test
    void anotherAgentTakesOverFromAnOwnerWithoutALinkWhoseClaimIsOlderThanTheGraceAndItIsLogged() throws Exception {
        owners.claim("rig-1", List.of("bench-1"));
        claimedSecondsAgo("bench-1", 31);
        try (CapturedLogs logs = new CapturedLogs()) {
            assertThat(owners.claim("rig-2", List.of("bench-1"))).isEqualTo(Map.of("bench-1", "rig-2"));
            owners.claim("rig-2", List.of("bench-1"));
            assertThat(logs.lines()).filteredOn(l -> l.contains("takes over"))
                    .containsExactly("io.benchlink.gateway.cluster.DeviceOwners rig-2 - takes over bench-1 from rig-1"
                            + " (offline past the grace period)");
        }
        assertThat(ownerRows()).containsExactly("bench-1 rig-2");
    }

    @Test
    void aDeviceClaimedByAnotherAgentWhileTheClaimWaitedIsLeftOut() throws Exception {
        try (Connection other = db.connect(); Statement st = other.createStatement()) {
            other.setAutoCommit(false);
            st.execute("INSERT INTO device_owners VALUES ('bench-1', 'rig-2', clock_timestamp())");
            CompletableFuture<Map<String, String>> claim = CompletableFuture.supplyAsync(() -> {
                try {
                    return owners.claim("rig-1", List.of("bench-1", "bench-2"));
                } catch (java.sql.SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            await().atMost(Duration.ofSeconds(20)).until(() -> db.waitingForLocks() == 1);
            other.commit();
            assertThat(claim.get(20, TimeUnit.SECONDS)).isEqualTo(Map.of("bench-2", "rig-1"));
        }
        assertThat(ownerRows()).containsExactly("bench-1 rig-2", "bench-2 rig-1");
    }

    @Test
    void aGoodbyeFreesTheAgentsDevicesUnlessItHoldsALinkAgain() throws Exception {
        owners.claim("rig-1", List.of("bench-1", "bench-2"));
        owners.claim("rig-2", List.of("bench-3"));
        owners.release("rig-1");
        assertThat(ownerRows()).containsExactly("bench-3 rig-2");

        new GatewayLease(store, "gw-a", Duration.ofSeconds(60)).linkUp("rig-2", List.of("bench-3"));
        owners.release("rig-2");
        assertThat(ownerRows()).containsExactly("bench-3 rig-2");
    }
}
