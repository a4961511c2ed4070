package io.benchlink.gateway.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.benchlink.gateway.store.postgres.PostgresEventStore;
import io.benchlink.gateway.testing.PostgresDatabase;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A gateway's lease and the agent links it records, as rows of the shared database (times by its clock). */
@Timeout(60)
class GatewayLeaseTest {
    private PostgresDatabase db;
    private PostgresEventStore store;
    private GatewayLease onA;
    private GatewayLease onB;

    @BeforeEach
    void open() {
        db = PostgresDatabase.create();
        store = db.open();
        onA = new GatewayLease(store, "gw-a", Duration.ofSeconds(60));
        onB = new GatewayLease(store, "gw-b", Duration.ofSeconds(60));
    }

    @AfterEach
    void close() {
        db.close();
    }

    private List<String> links() {
        return db.rows("SELECT agent_id, gateway_id, array_to_string(devices, ','),"
                + " CASE WHEN lost_at IS NULL THEN 'up' ELSE 'lost' END FROM agent_links ORDER BY agent_id");
    }

    /** Seconds until the lease of {@code gateway} expires, by the database's clock. */
    private double remaining(String gateway) {
        return Double.parseDouble(db.value("SELECT EXTRACT(EPOCH FROM expires_at - clock_timestamp())"
                + " FROM gateway_leases WHERE gateway_id = ?", gateway));
    }

    @Test
    void refusesAGatewayWithoutAnIdOrALeaseThatIsNotPositive() throws Exception {
        assertThatThrownBy(() -> new GatewayLease(store, null, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("a gateway id is required");
        assertThatThrownBy(() -> new GatewayLease(store, " ", Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("a gateway id is required");
        assertThatThrownBy(() -> new GatewayLease(store, "gw", Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("the lease must be positive (got PT0S)");
        assertThatThrownBy(() -> new GatewayLease(store, "gw", Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("the lease must be positive");
        GatewayLease lease = new GatewayLease(store, "gw", Duration.ofMillis(1));
        assertThat(lease.gatewayId()).isEqualTo("gw");
        assertThat(lease.length()).isEqualTo(Duration.ofMillis(1));
    }

    @Test
    void aRenewalRunsTheLeaseToTheDatabasesNowPlusItsLength() throws Exception {
        GatewayLease shortOne = new GatewayLease(store, "gw-short", Duration.ofMillis(1_500));
        shortOne.renew();
        onA.renew();
        assertThat(remaining("gw-short")).isBetween(0.5, 1.5);
        assertThat(remaining("gw-a")).isBetween(50.0, 60.0);

        db.execute("UPDATE gateway_leases SET expires_at = clock_timestamp() - interval '1 hour'");
        onA.renew();
        assertThat(remaining("gw-a")).isBetween(50.0, 60.0);
        assertThat(db.rows("SELECT gateway_id FROM gateway_leases ORDER BY 1")).containsExactly("gw-a", "gw-short");
    }

    @Test
    void aHelloRecordsTheLinkWithItsDevicesAndMovesItFromAnyOtherGateway() throws Exception {
        onA.linkUp("rig-1", List.of("bench-1", "bench-2"));
        onA.linkUp("rig-2", List.of());
        assertThat(links()).containsExactly("rig-1 gw-a bench-1,bench-2 up", "rig-2 gw-a  up");

        onA.linkLost("rig-1");
        onB.linkUp("rig-1", List.of("bench-3"));
        assertThat(links()).containsExactly("rig-1 gw-b bench-3 up", "rig-2 gw-a  up");
    }

    @Test
    void aLostLinkKeepsTheMomentItWasFirstLostAndOnlyTheHoldingGatewayMayLoseIt() throws Exception {
        onA.linkUp("rig-1", List.of("bench-1"));
        onB.linkLost("rig-1"); // not B's link
        assertThat(links()).containsExactly("rig-1 gw-a bench-1 up");

        onA.linkLost("rig-1");
        String lostAt = db.value("SELECT lost_at FROM agent_links");
        onA.linkLost("rig-1");
        assertThat(links()).containsExactly("rig-1 gw-a bench-1 lost");
        assertThat(db.value("SELECT lost_at FROM agent_links")).isEqualTo(lostAt);
    }

    @Test
    void aGoodbyeDeletesOnlyTheHoldingGatewaysLiveLink() throws Exception {
        onA.linkUp("rig-1", List.of("bench-1"));
        onA.linkUp("rig-2", List.of("bench-2"));
        onA.linkLost("rig-2");
        onB.linkStopped("rig-1"); // not B's link
        onA.linkStopped("rig-2"); // lost already: the sweep still owes it its offline
        assertThat(links()).containsExactly("rig-1 gw-a bench-1 up", "rig-2 gw-a bench-2 lost");

        onA.linkStopped("rig-1");
        assertThat(links()).containsExactly("rig-2 gw-a bench-2 lost");
    }

    @Test
    void aReleaseEndsTheLeaseAndLosesEveryLiveLinkHeldHereOnly() throws Exception {
        onA.renew();
        onB.renew();
        onA.linkUp("rig-1", List.of("bench-1"));
        onA.linkUp("rig-2", List.of("bench-2"));
        onB.linkUp("rig-3", List.of("bench-3"));
        onA.linkLost("rig-2");
        String lostAt = db.value("SELECT lost_at FROM agent_links WHERE agent_id = 'rig-2'");

        onA.release();
        assertThat(links()).containsExactly("rig-1 gw-a bench-1 lost", "rig-2 gw-a bench-2 lost",
                "rig-3 gw-b bench-3 up");
        assertThat(db.value("SELECT lost_at FROM agent_links WHERE agent_id = 'rig-2'")).isEqualTo(lostAt);
        assertThat(db.rows("SELECT gateway_id FROM gateway_leases")).containsExactly("gw-b");
    }
}
