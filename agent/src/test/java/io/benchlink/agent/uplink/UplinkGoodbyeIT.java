package io.benchlink.agent.uplink;

import static io.benchlink.agent.spool.TestStatuses.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.benchlink.agent.spool.Spool;
import io.benchlink.agent.spool.SpoolConfig;
import io.benchlink.common.time.WallClock;
import io.benchlink.gateway.app.Gateway;
import io.benchlink.gateway.config.GatewayConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19: the uplink, stopped in order, says goodbye to a real gateway in this JVM, which takes the agent's
 * devices offline at once as "agent stopped" (not "agent connection lost" after the grace period), once.
 */
@Timeout(60)
class UplinkGoodbyeIT {
    @TempDir
    Path dir;

    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    @Test
    void aStoppedUplinkTakesItsDevicesOfflineAtOnceAsStoppedNotLost() throws Exception {
        Gateway gateway = gateway(Duration.ofSeconds(60)); // any offline seen within this test is the goodbye's
        Subscriber all = subscriber(gateway);
        Spool spool = spool("spool");
        spool.append(result("bench-07", 1));
        Uplink uplink = uplink(gateway, spool);
        await().atMost(Duration.ofSeconds(20)).until(() -> uplink.acked() == 1 && spool.depth() == 0);

        uplink.close();

        await().atMost(Duration.ofSeconds(20)).until(() -> all.offline().size() == 2);
        assertThat(all.offline()).allSatisfy(o -> assertThat(o.get("result").getAsString()).isEqualTo("agent stopped"));
        assertThat(all.offline()).extracting(o -> o.get("device_id").getAsString())
                .containsExactlyInAnyOrder("bench-07", "bench-08");
    }

    @Test
    void afterAGoodbyeNoLinkLostOfflineFollowsAndTheNextHelloBringsTheDevicesBack() throws Exception {
        Gateway gateway = gateway(Duration.ofSeconds(1));
        Subscriber all = subscriber(gateway);
        Spool spool = spool("spool");
        Uplink first = uplink(gateway, spool);
        await().atMost(Duration.ofSeconds(20)).until(() -> first.state() == LinkState.CONNECTED);

        first.close();
        await().atMost(Duration.ofSeconds(20)).until(() -> all.offline().size() == 2);
        // Three grace periods later, still exactly one offline per device, and it says "stopped".
        await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> true);
        assertThat(all.offline()).hasSize(2)
                .allSatisfy(o -> assertThat(o.get("result").getAsString()).isEqualTo("agent stopped"));

        Uplink second = uplink(gateway, spool);
        await().atMost(Duration.ofSeconds(20)).until(() -> all.online().size() == 2);
        assertThat(all.online()).allSatisfy(o -> assertThat(o.get("result").getAsString())
                .isEqualTo("agent connection restored"));
        // the welcome left before the online statuses, but the uplink thread may read it after the subscriber
        await().atMost(Duration.ofSeconds(20)).until(() -> second.state() == LinkState.CONNECTED);
    }

    private Gateway gateway(Duration offlineGrace) throws Exception {
        Gateway gateway = Gateway.start(GatewayConfig.builder().bind("127.0.0.1").port(0).httpPort(-1)
                .dataDir(dir.resolve("gateway")).zone(ZoneId.of("Europe/Moscow")).offlineGrace(offlineGrace).build());
        closeables.add(gateway);
        return gateway;
    }

    private Subscriber subscriber(Gateway gateway) throws InterruptedException {
        Subscriber subscriber = new Subscriber(URI.create("ws://127.0.0.1:" + gateway.port() + "/ws/devices/all"));
        assertThat(subscriber.connectBlocking()).as("subscriber connected").isTrue();
        closeables.add(subscriber::closeBlocking);
        return subscriber;
    }

    private Spool spool(String name) {
        Spool spool = Spool.open(SpoolConfig.defaults(dir.resolve(name)));
        closeables.add(spool);
        return spool;
    }

    private Uplink uplink(Gateway gateway, Spool spool) {
        UplinkConfig config = new UplinkConfig(List.of(URI.create("ws://127.0.0.1:" + gateway.port() + "/ws/agents")),
                "rig-07", null, List.of("bench-07", "bench-08"), 16, Duration.ofSeconds(5), Duration.ofSeconds(20),
                Duration.ofMillis(50), Duration.ofMillis(500));
        Uplink uplink = new Uplink(config, spool, WallClock.system());
        closeables.add(uplink);
        uplink.start();
        return uplink;
    }

    /** A §2 subscriber on the real gateway that keeps every status it receives. */
    private static final class Subscriber extends WebSocketClient {
        private final List<JsonObject> received = new CopyOnWriteArrayList<>();

        Subscriber(URI uri) {
            super(uri);
        }

        List<JsonObject> offline() {
            return withStatus("offline");
        }

        List<JsonObject> online() {
            return withStatus("online");
        }

        private List<JsonObject> withStatus(String status) {
            return received.stream().filter(o -> o.has("status") && status.equals(o.get("status").getAsString()))
                    .toList();
        }

        @Override
        public void onOpen(ServerHandshake handshake) {
        }

        @Override
        public void onMessage(String message) {
            received.add(JsonParser.parseString(message).getAsJsonObject());
        }

        @Override
        public void onClose(int code, String reason, boolean remote) {
        }

        @Override
        public void onError(Exception e) {
        }
    }
}
