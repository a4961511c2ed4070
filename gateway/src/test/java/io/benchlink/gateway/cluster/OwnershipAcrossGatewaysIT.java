package io.benchlink.gateway.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.benchlink.common.protocol.ErrorFrame;
import io.benchlink.common.status.StatusKind;
import io.benchlink.gateway.testing.ClusterDatabase;
import io.benchlink.gateway.testing.GatewayFixture;
import io.benchlink.gateway.testing.HttpApi;
import io.benchlink.gateway.testing.Subscriber;
import io.benchlink.gateway.testing.TestAgent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15: device ownership (PROTOCOL.md §3) holds across two real gateways on one PostgreSQL. Before, each gateway
 * kept owners in memory: a second rig claiming a device owned by a rig on gateway A was accepted on gateway B, and a
 * restart forgot every owner.
 */
@Timeout(120)
class OwnershipAcrossGatewaysIT {
    private static final Duration GRACE = Duration.ofSeconds(2);

    @RegisterExtension
    final ClusterDatabase database = new ClusterDatabase();
    @TempDir
    Path dir;
    GatewayFixture a;
    GatewayFixture b;

    @BeforeEach
    void start() throws Exception {
        a = database.gateway(dir.resolve("a"), GRACE).start();
        b = database.gateway(dir.resolve("b"), GRACE).withHttp().start();
    }

    /** Every stored event as "device status result", in seq order (read at B: the log is shared). */
    private List<String> stored() throws Exception {
        return HttpApi.array(new HttpApi(b).get("/api/events")).stream()
                .map(o -> o.get("device_id").getAsString() + " " + o.get("status").getAsString() + " "
                        + o.get("result").getAsString()).toList();
    }

    @Test
    void aRigClaimingADeviceOwnedByARigOnTheOtherGatewayGetsTheErrorFrameNamingTheOwnerAndNothingIsStored()
            throws Exception {
        TestAgent owner = TestAgent.hello(a.uri("/ws/agents"), "rig-07", null, List.of("bench-07"));
        owner.sendStatus(1, TestAgent.result("bench-07", StatusKind.SUCCESS, "from rig-07"));
        await().until(() -> owner.acked().contains(1L));

        TestAgent twin = TestAgent.hello(b.uri("/ws/agents"), "rig-08", null, List.of("bench-07", "bench-08"));
        twin.sendStatus(1, TestAgent.result("bench-07", StatusKind.FAIL, "from rig-08"));
        twin.sendStatus(2, TestAgent.result("bench-08", StatusKind.SUCCESS, "other device"));
        await().atMost(Duration.ofSeconds(10)).until(() -> twin.acked().contains(2L) && !twin.errorFrames().isEmpty());

        ErrorFrame error = twin.errorFrames().get(0);
        assertThat(error.seq()).isEqualTo(1);
        assertThat(error.deviceId()).isEqualTo("bench-07");
        assertThat(error.message()).endsWith("owned by rig-07");
        assertThat(twin.acked()).containsExactly(2L);
        assertThat(twin.closedYet()).as("link stays open").isFalse();
        assertThat(stored()).containsExactly("bench-07 success from rig-07", "bench-08 success other device");
        assertThat(b.gateway().links().ownershipConflicts()).isEqualTo(1);
        owner.close();
        twin.close();
    }

    @Test
    void theOwnerFailingOverToTheOtherGatewayKeepsItsDevicesAlsoAfterARestart() throws Exception {
        TestAgent owner = TestAgent.hello(a.uri("/ws/agents"), "rig-07", null, List.of("bench-07"));
        owner.sendStatus(1, TestAgent.result("bench-07", StatusKind.SUCCESS, "on a"));
        await().until(() -> owner.acked().contains(1L));
        owner.closeBlocking();
        TestAgent movedToB = TestAgent.hello(b.uri("/ws/agents"), "rig-07", null, List.of("bench-07"));
        movedToB.sendStatus(2, TestAgent.result("bench-07", StatusKind.SUCCESS, "on b"));
        await().until(() -> movedToB.acked().contains(2L));

        a.restart(); // a gateway's memory of owners is gone; the database's is not
        TestAgent twin = TestAgent.hello(a.uri("/ws/agents"), "rig-08", null, List.of());
        // well past the grace period of rig-07's first link: its link at B keeps the device
        await().pollDelay(GRACE.plusSeconds(1)).atMost(GRACE.plusSeconds(5)).until(() -> true);
        twin.sendStatus(1, TestAgent.result("bench-07", StatusKind.FAIL, "from rig-08"));
        await().atMost(Duration.ofSeconds(10)).until(() -> !twin.errorFrames().isEmpty());
        movedToB.sendStatus(3, TestAgent.result("bench-07", StatusKind.SUCCESS, "still on b"));
        await().until(() -> movedToB.acked().contains(3L));

        assertThat(twin.errorFrames().get(0).message()).endsWith("owned by rig-07");
        assertThat(twin.acked()).isEmpty();
        assertThat(stored()).containsExactly("bench-07 success on a", "bench-07 success on b",
                "bench-07 success still on b");
        movedToB.close();
        twin.close();
    }

    @Test
    void anotherRigTakesOverOnTheOtherGatewayOnlyAfterTheOwnersGraceAndOfflineFollowsTheOwnerOnly() throws Exception {
        Subscriber all = Subscriber.connect(b.uri("/ws/devices/all"));
        TestAgent owner = TestAgent.hello(a.uri("/ws/agents"), "rig-07", null, List.of("bench-07"));
        TestAgent twin = TestAgent.hello(b.uri("/ws/agents"), "rig-08", null, List.of("bench-07", "bench-08"));
        owner.closeBlocking();
        // within the grace period the device still belongs to rig-07
        twin.sendStatus(1, TestAgent.result("bench-07", StatusKind.FAIL, "too early"));
        await().atMost(Duration.ofSeconds(10)).until(() -> twin.errorFrames().size() == 1);

        await().atMost(GRACE.plusSeconds(15)).until(() -> all.count() == 1); // rig-07's offline, by a sweep
        // rig-08 merely lists the device it does not own (yet): its link brings nothing back online
        await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> true);
        assertThat(all.count()).isEqualTo(1);
        twin.sendStatus(2, TestAgent.result("bench-07", StatusKind.SUCCESS, "taken over"));
        await().atMost(Duration.ofSeconds(10)).until(() -> twin.acked().contains(2L));
        TestAgent back = TestAgent.hello(a.uri("/ws/agents"), "rig-07", null, List.of("bench-07"));
        back.sendStatus(3, TestAgent.result("bench-07", StatusKind.FAIL, "came back too late"));
        await().atMost(Duration.ofSeconds(10)).until(() -> back.errorFrames().size() == 1);
        back.closeBlocking();
        // rig-07's second link listed bench-07 but no longer owns it: its loss takes nothing offline
        await().pollDelay(GRACE.plusSeconds(3)).atMost(GRACE.plusSeconds(10)).until(() -> true);
        assertThat(all.count()).isEqualTo(2);
        twin.closeBlocking();
        await().atMost(GRACE.plusSeconds(15)).until(() -> all.count() >= 4);
        await().pollDelay(GRACE.plusSeconds(2)).atMost(GRACE.plusSeconds(10)).until(() -> true);

        assertThat(back.errorFrames().get(0).message()).endsWith("owned by rig-08");
        assertThat(all.received()).extracting(o -> o.get("device_id").getAsString() + " "
                + o.get("status").getAsString()).containsExactly("bench-07 offline", "bench-07 success",
                        "bench-07 offline", "bench-08 offline");
        all.close();
    }

    @Test
    void aGoodbyeIsTheOnlyOfflineEvenWhenItsGatewayStopsAndTheDeviceIsFreeForARigOnTheOther() throws Exception {
        Subscriber all = Subscriber.connect(b.uri("/ws/devices/all"));
        TestAgent owner = TestAgent.hello(a.uri("/ws/agents"), "rig-07", null, List.of("bench-07"));
        owner.sendStatus(1, TestAgent.result("bench-07", StatusKind.SUCCESS, "before the stop"));
        await().until(() -> owner.acked().contains(1L));
        owner.send("{\"type\":\"goodbye\",\"reason\":\"agent stopped\"}");
        await().atMost(Duration.ofSeconds(10)).until(() -> all.count() == 2);
        a.close(); // its links count as lost from now: a goodbye's link is no longer among them

        TestAgent next = TestAgent.hello(b.uri("/ws/agents"), "rig-08", null, List.of());
        next.sendStatus(1, TestAgent.result("bench-07", StatusKind.SUCCESS, "next rig"));
        await().atMost(Duration.ofSeconds(10)).until(() -> next.acked().contains(1L));
        await().pollDelay(GRACE.plusSeconds(4)).atMost(GRACE.plusSeconds(10)).until(() -> true); // sweeps ran

        assertThat(all.received()).extracting(o -> o.get("status").getAsString() + " "
                + o.get("result").getAsString()).containsExactly("success before the stop", "offline agent stopped",
                        "success next rig");
        assertThat(next.errorFrames()).isEmpty();
        next.close();
        all.close();
    }
}
