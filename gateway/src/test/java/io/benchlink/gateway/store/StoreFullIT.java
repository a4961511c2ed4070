package io.benchlink.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import io.benchlink.common.json.Json;
import io.benchlink.common.status.StatusKind;
import io.benchlink.gateway.app.Gateway;
import io.benchlink.gateway.store.sqlite.SqliteEventStore;
import io.benchlink.gateway.testing.GatewayFixture;
import io.benchlink.gateway.testing.TestAgent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14.5: a real SQLite store that fills up (its page limit stands in for a full disk). While commits fail,
 * /healthz answers 503 with the reason, a metric counts the failed commits, agents get no ack (they keep
 * spooling) and a POST gets 503; once space is back the gateway stores again by itself, without a restart.
 */
@Timeout(90)
class StoreFullIT {
    private static final int PAGES = 60; // 240 KB: the schema and a few hundred events
    @TempDir
    Path dir;
    private Gateway gateway;
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.httpPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private int post(String device) throws Exception {
        String body = "{\"status\":\"success\",\"device_id\":\"" + device + "\",\"result\":\"" + "x".repeat(200)
                + "\"}";
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.httpPort() + "/api/events"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode();
    }

    private String metrics() throws Exception {
        return new String(gateway.metrics().scrape(), StandardCharsets.UTF_8);
    }

    @Test
    void aFullStoreIsReportedRefusesStatusesAndRecoversByItselfWhenSpaceIsBack() throws Exception {
        gateway = Gateway.start(GatewayFixture.withPorts(GatewayFixture.defaults(dir), 0, 0),
                c -> SqliteEventStore.open(c.dataDir(), PAGES));
        assertThat(get("/healthz").statusCode()).isEqualTo(200);

        int posted = 0;
        while (post("press-" + posted) == 201) {
            posted++;
            assertThat(posted).as("the store fills up").isLessThan(5000);
        }
        HttpResponse<String> health = get("/healthz");
        assertThat(health.statusCode()).isEqualTo(503);
        JsonObject body = Json.parseObject(health.body());
        assertThat(body.get("status").getAsString()).isEqualTo("failing");
        assertThat(body.get("reason").getAsString()).startsWith("store cannot commit:").contains("full");
        assertThat(metrics()).containsPattern("benchlink_store_failed_commits_total [1-9]");

        TestAgent agent = TestAgent.hello(URI.create("ws://127.0.0.1:" + gateway.port() + "/ws/agents"), "rig-1",
                null, List.of());
        agent.sendStatus(1, TestAgent.result("bench-1", StatusKind.SUCCESS, "while full"));
        assertThat(agent.awaitCloseCode()).as("no ack: the link is closed and the agent resends later")
                .isEqualTo(1011);
        assertThat(agent.acked()).isEmpty();
        assertThat(post("press-x")).isEqualTo(503);

        freeSpace(); // the operator makes room; the gateway is not restarted
        await().atMost(Duration.ofSeconds(10)).until(() -> post("press-after") == 201);
        assertThat(get("/healthz").statusCode()).isEqualTo(200);
        TestAgent back = TestAgent.hello(URI.create("ws://127.0.0.1:" + gateway.port() + "/ws/agents"), "rig-1",
                null, List.of());
        assertThat(back.lastSeq()).isZero();
        back.sendStatus(1, TestAgent.result("bench-1", StatusKind.SUCCESS, "after"));
        await().atMost(Duration.ofSeconds(10)).until(() -> back.acked().contains(1L));
        back.close();
    }

    private void freeSpace() throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(
                SqliteEventStore.FILE_NAME)); Statement sql = connection.createStatement()) {
            sql.execute("PRAGMA busy_timeout = 5000");
            sql.execute("DELETE FROM events WHERE seq IN (SELECT seq FROM events ORDER BY seq LIMIT 200)");
        }
    }
}
