package io.benchlink.gateway.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import io.benchlink.common.status.StatusKind;
import io.benchlink.gateway.testing.GatewayFixture;
import io.benchlink.gateway.testing.HttpApi;
import io.benchlink.gateway.testing.PostgresServer;
import io.benchlink.gateway.testing.Subscriber;
import io.benchlink.gateway.testing.TestAgent;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Issue 15: a gateway on PostgreSQL while the database is down, and after it is back. */
@Timeout(180)
class DatabaseOutageIT {
    private static final String STATUS = "{\"mac_address\":\"aa-bb-cc-dd-ee-0f\",\"serial_number\":\"SN-9\","
            + "\"status\":\"success\",\"time_start\":\"2025-08-28T14:52:34.615642\","
            + "\"time_end\":\"2025-08-28T14:54:52.029134\",\"result\":\"pushed over http\",\"device_id\":\"%s\"}";

    @TempDir
    Path dir;

    @Test
    void whileTheDatabaseIsDownHealthzSays503WithAReasonStatusesAreRefusedAndAllResumesWhenItIsBack()
            throws Exception {
        try (PostgresServer server = PostgresServer.start(false)) {
            String url = server.createDatabase();
            try (GatewayFixture gateway = new GatewayFixture(dir, c -> c.toBuilder().store(url).build()).withHttp()
                    .start()) {
                HttpApi api = new HttpApi(gateway);
                Subscriber live = Subscriber.connect(gateway.uri("/ws/devices/all"));
                TestAgent agent = TestAgent.hello(gateway.uri("/ws/agents"), "rig-1", null, List.of("d1"));
                agent.sendStatus(1, TestAgent.result("d1", StatusKind.SUCCESS, "before"));
                await().atMost(Duration.ofSeconds(10)).until(() -> agent.acked().contains(1L) && live.count() == 1);
                assertThat(api.get("/healthz").statusCode()).isEqualTo(200);

                server.stop();
                HttpResponse<String> down = api.get("/healthz");
                assertThat(down.statusCode()).isEqualTo(503);
                assertThat(HttpApi.object(down).get("reason").getAsString()).isNotBlank();
                System.out.println("DatabaseOutageIT: /healthz while down: " + down.body());
                assertThat(api.post("/api/events", STATUS.formatted("d2")).statusCode()).isEqualTo(503);
                agent.sendStatus(2, TestAgent.result("d1", StatusKind.SUCCESS, "during"));
                // the writer refuses it (no ack: the agent keeps it in its spool) and closes the link (1013)
                await().atMost(Duration.ofSeconds(30)).until(agent::closedYet);
                assertThat(agent.acked()).containsExactly(1L);
                assertThat(api.get("/healthz").statusCode()).isEqualTo(503);
                assertThat(live.isClosedYet()).as("the subscriber stays connected").isFalse();

                server.restart();
                // The agent reconnects by itself (here: the test for it), learns its mark and resends: stored once.
                TestAgent resend = await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() ->
                        TestAgent.hello(gateway.uri("/ws/agents"), "rig-1", null, List.of("d1")), a -> true);
                assertThat(resend.lastSeq()).isEqualTo(1);
                resend.sendStatus(1, TestAgent.result("d1", StatusKind.SUCCESS, "before"));
                resend.sendStatus(2, TestAgent.result("d1", StatusKind.SUCCESS, "during"));
                await().atMost(Duration.ofSeconds(15)).until(() -> resend.acked().contains(2L));
                await().atMost(Duration.ofSeconds(15)).until(() -> api.get("/healthz").statusCode() == 200);
                assertThat(api.post("/api/events", STATUS.formatted("d2")).statusCode()).isEqualTo(201);
                await().atMost(Duration.ofSeconds(15)).until(() -> live.count() >= 3);
                await().pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> true);
                assertThat(live.received()).extracting(o -> o.get("device_id").getAsString() + " "
                        + o.get("result").getAsString()).containsExactly("d1 before", "d1 during", "d2 pushed over http");
                assertThat(live.seqs()).isSorted().doesNotHaveDuplicates();
                JsonObject health = HttpApi.object(api.get("/healthz"));
                assertThat(health.get("status").getAsString()).isEqualTo("ok");
                resend.close();
            }
        }
    }
}
