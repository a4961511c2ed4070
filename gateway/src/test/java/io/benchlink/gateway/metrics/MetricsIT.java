package io.benchlink.gateway.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.benchlink.common.status.StatusKind;
import io.benchlink.gateway.testing.GatewayFixture;
import io.benchlink.gateway.testing.HttpApi;
import io.benchlink.gateway.testing.Subscriber;
import io.benchlink.gateway.testing.TestAgent;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class MetricsIT {
    // Prometheus text format 0.0.4: comments, then samples `name{label="value",...} number`.
    private static final Pattern COMMENT = Pattern.compile("# (HELP [a-zA-Z_:][a-zA-Z0-9_:]* .*|TYPE [a-zA-Z_:]"
            + "[a-zA-Z0-9_:]* (counter|gauge|histogram|summary|untyped))");
    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{((?:[a-zA-Z_][a-zA-Z0-9_]*"
            + "=\"(?:[^\"\\\\\\n]|\\\\.)*\",?)*)\\})? ([-+]?(?:[0-9.eE+-]+|Inf|NaN))( [0-9]+)?");

    @TempDir
    Path dir;
    GatewayFixture gateway;
    HttpApi api;

    @BeforeEach
    void start() throws Exception {
        gateway = new GatewayFixture(dir).withHttp().start();
        api = new HttpApi(gateway);
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    @Test
    void exposesTheNamedSeriesInPrometheusTextFormat() throws Exception {
        Subscriber live = Subscriber.connect(gateway.uri("/ws/devices/all"));
        TestAgent agent = TestAgent.hello(gateway.uri("/ws/agents"), "rig-1", null, List.of("bench-1"));
        agent.sendStatus(1, TestAgent.result("bench-1", StatusKind.SUCCESS, "ok"));
        agent.sendStatus(2, TestAgent.result("bench-1", StatusKind.FAIL, "bad"));
        agent.sendStatus(3, TestAgent.result("bench-1", StatusKind.FAIL, "bad again"));
        api.post("/api/events", "{\"status\":\"error\",\"device_id\":\"press-1\"}");
        await().until(() -> agent.acked().size() == 3 && live.count() == 4);
        Subscriber late = Subscriber.connect(gateway.uri("/ws/devices/all?since=0"));
        await().until(() -> late.count() == 4);

        double first = gateway.gateway().store().eventsAfter(0, null, 1).get(0).seq(); // above the clock floor
        Map<String, Double> before = scrape();
        assertThat(before).containsEntry("benchlink_agents_connected", 1.0)
                .containsEntry("benchlink_subscribers_connected", 2.0)
                .containsEntry("benchlink_statuses_received_total{source=\"agent\",status=\"fail\"}", 2.0)
                .containsEntry("benchlink_statuses_received_total{source=\"agent\",status=\"success\"}", 1.0)
                .containsEntry("benchlink_statuses_received_total{source=\"http\",status=\"error\"}", 1.0)
                .containsEntry("benchlink_statuses_delivered_total{status=\"fail\"}", 4.0)
                .containsEntry("benchlink_events_replayed_total", 4.0)
                .containsEntry("benchlink_subscribers_fell_behind_total", 0.0)
                .containsEntry("benchlink_store_oldest_seq", first)
                .containsEntry("benchlink_store_latest_seq", first + 3)
                .containsEntry("benchlink_ack_latency_seconds_count", 3.0)
                .containsEntry("benchlink_ack_latency_seconds_bucket{le=\"+Inf\"}", 3.0)
                .containsEntry("benchlink_agent_links_lost_total", 0.0);
        assertThat(before.get("benchlink_store_size_bytes")).isGreaterThan(0);
        // start-up purge, hello, three statuses and a POST: at least two batches (the POST came after the acks)
        assertThat(before.get("benchlink_store_commit_seconds_count")).isBetween(2.0, 6.0)
                .isEqualTo(before.get("benchlink_store_commit_seconds_bucket{le=\"+Inf\"}"));
        assertThat(before.get("benchlink_store_commit_seconds_sum")).isGreaterThan(0.0);

        agent.close();
        await().until(() -> scrape().get("benchlink_agent_links_lost_total") == 1.0);
        assertThat(scrape()).containsEntry("benchlink_agents_connected", 0.0);
        live.close();
        late.close();
    }

    @Test
    void theMetricsExistWithoutTheHttpListener() throws Exception {
        try (GatewayFixture wsOnly = new GatewayFixture(dir.resolve("ws-only")).start()) {
            TestAgent agent = TestAgent.hello(wsOnly.uri("/ws/agents"), "rig-1", null, List.of("bench-1"));
            agent.sendStatus(1, TestAgent.result("bench-1", StatusKind.SUCCESS, "ok"));
            await().until(() -> agent.acked().size() == 1);

            String text = new String(wsOnly.gateway().metrics().scrape(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(wsOnly.gateway().httpPort()).isEqualTo(-1);
            assertThat(text).contains("benchlink_agents_connected 1")
                    .contains("benchlink_statuses_received_total{source=\"agent\",status=\"success\"} 1");
            agent.close();
        }
    }

    /** Checks every line against the text format and returns the samples by name and labels. */
    private Map<String, Double> scrape() throws Exception {
        HttpResponse<String> response = api.get("/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse(""))
                .startsWith("text/plain; version=0.0.4");
        Map<String, Double> samples = new HashMap<>();
        for (String line : response.body().split("\n")) {
            if (line.startsWith("#")) {
                assertThat(line).matches(COMMENT);
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            assertThat(m.matches()).as("sample line: %s", line).isTrue();
            String value = m.group(4);
            double number = value.endsWith("Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(value);
            samples.put(line.substring(0, line.lastIndexOf(' ')), number);
        }
        return samples;
    }
}
