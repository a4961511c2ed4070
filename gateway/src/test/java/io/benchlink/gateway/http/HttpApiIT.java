package io.benchlink.gateway.http;

import static io.benchlink.gateway.testing.HttpApi.array;
import static io.benchlink.gateway.testing.HttpApi.object;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import io.benchlink.common.status.StatusKind;
import io.benchlink.gateway.testing.GatewayFixture;
import io.benchlink.gateway.testing.HttpApi;
import io.benchlink.gateway.testing.Subscriber;
import io.benchlink.gateway.testing.TestAgent;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class HttpApiIT {
    private static final String STATUS = "{\"mac_address\":\"aa-bb-cc-dd-ee-0f\",\"serial_number\":\"SN-9\","
            + "\"status\":\"success\",\"time_start\":\"2025-08-28T14:52:34.615642\","
            + "\"time_end\":\"2025-08-28T14:54:52.029134\",\"result\":\"pushed over http\",\"device_id\":\"%s\"}";

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

    private TestAgent agentWith(int count) throws Exception {
        TestAgent agent = TestAgent.hello(gateway.uri("/ws/agents"), "rig-1", null, List.of());
        for (int i = 1; i <= count; i++) {
            agent.sendStatus(i, TestAgent.result("bench-" + (i % 3), StatusKind.values()[i % 3], "n" + i));
        }
        await().until(() -> agent.acked().size() == count);
        return agent;
    }

    @Test
    void listsTheLastStatusOfEveryDeviceAndAnswersOneDevice() throws Exception {
        assertThat(array(api.get("/api/devices"))).isEmpty();
        agentWith(6).close();

        HttpResponse<String> all = api.get("/api/devices");
        assertThat(all.statusCode()).isEqualTo(200);
        assertThat(all.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
        long base = firstSeq() - 1;
        assertThat(all.headers().firstValue("Benchlink-Latest-Seq")).hasValue(Long.toString(base + 6));
        assertThat(array(all)).extracting(o -> o.get("device_id").getAsString() + "=" + o.get("result").getAsString())
                .containsExactly("bench-0=n6", "bench-1=n4", "bench-2=n5");

        HttpResponse<String> one = api.get("/api/devices/bench-1");
        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(object(one).get("seq").getAsLong()).isEqualTo(base + 4);
        assertThat(object(one).keySet()).containsExactly("mac_address", "serial_number", "status", "time_start",
                "time_end", "updated_at", "result", "device_id", "seq");
    }

    @Test
    void answersAnUnknownDeviceWith404AndAnInvalidIdWith400() throws Exception {
        HttpResponse<String> unknown = api.get("/api/devices/never-seen");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(object(unknown).get("error").getAsString()).contains("never-seen");
        for (String bad : List.of("all", "bad%20id", "x".repeat(65), "")) {
            HttpResponse<String> answer = api.get("/api/devices/" + bad);
            assertThat(answer.statusCode()).as(bad).isEqualTo(400);
            assertThat(object(answer).get("error").getAsString()).as(bad).startsWith("invalid device_id");
        }
    }

    @Test
    void pollsEventsInSeqOrderWithLimitDeviceFilterAndOldestSeqHeader() throws Exception {
        agentWith(30).close();

        long base = firstSeq() - 1;
        HttpResponse<String> first = api.get("/api/events");
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("Benchlink-Oldest-Seq")).hasValue(Long.toString(base + 1));
        assertThat(seqs(first)).containsExactlyElementsOf(LongStream.rangeClosed(base + 1, base + 30).boxed().toList());

        assertThat(seqs(api.get("/api/events?since=" + (base + 10) + "&limit=5")))
                .containsExactly(base + 11, base + 12, base + 13, base + 14, base + 15);
        assertThat(seqs(api.get("/api/events?since=" + (base + 20) + "&device_id=bench-1")))
                .containsExactly(base + 22, base + 25, base + 28);
        assertThat(seqs(api.get("/api/events?since=" + (base + 30)))).isEmpty();
        assertThat(seqs(api.get("/api/events?since=0&limit=10000"))).hasSize(30);
    }

    @Test
    void refusesBadEventQueriesWith400() throws Exception {
        for (String query : List.of("since=-1", "since=abc", "since=", "limit=0", "limit=10001", "limit=1.5",
                "device_id=all", "device_id=a%2Fb", "sincee=1", "since=1&since=2")) {
            HttpResponse<String> answer = api.get("/api/events?" + query);
            assertThat(answer.statusCode()).as(query).isEqualTo(400);
            assertThat(object(answer).get("error").getAsString()).as(query).isNotBlank();
        }
    }

    @Test
    void postStoresAndBroadcastsOnceWithARepeatedIdempotencyKey() throws Exception {
        Subscriber live = Subscriber.connect(gateway.uri("/ws/devices/all"));
        String body = STATUS.formatted("press-1");

        HttpResponse<String> created = api.post("/api/events", body, "Idempotency-Key", "order-42");
        HttpResponse<String> replayed = api.post("/api/events", body, "Idempotency-Key", "order-42");

        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(replayed.statusCode()).isEqualTo(200);
        assertThat(replayed.body()).isEqualTo(created.body());
        JsonObject stored = object(created);
        long base = firstSeq() - 1;
        assertThat(stored.get("seq").getAsLong()).isEqualTo(base + 1);
        assertThat(stored.get("mac_address").getAsString()).isEqualTo("AA:BB:CC:DD:EE:0F");
        assertThat(stored.get("time_end").getAsString()).isEqualTo("2025-08-28T14:54:52.029134");
        await().until(() -> live.count() == 1);
        // A later event proves the subscriber has seen everything the store has; the replay is not among it.
        assertThat(api.post("/api/events", STATUS.formatted("press-2")).statusCode()).isEqualTo(201);
        await().until(() -> live.count() == 2);
        assertThat(live.seqs()).containsExactly(base + 1, base + 2);
        assertThat(seqs(api.get("/api/events"))).containsExactly(base + 1, base + 2);
        live.close();
    }

    @Test
    void postWithoutAKeyStoresEachRequestAndAcceptsA1cByteOrderMark() throws Exception {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] body = STATUS.formatted("press-1").getBytes(StandardCharsets.UTF_8);
        byte[] withBom = new byte[bom.length + body.length];
        System.arraycopy(bom, 0, withBom, 0, 3);
        System.arraycopy(body, 0, withBom, 3, body.length);
        HttpResponse<String> first = api.send(api.request("/api/events", "Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(withBom)).build());
        HttpResponse<String> second = api.post("/api/events", STATUS.formatted("press-1"));
        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(second.statusCode()).isEqualTo(201);
        assertThat(second.headers().firstValue("Benchlink-Seq")).hasValue(Long.toString(firstSeq() + 1));
        assertThat(array(api.get("/api/devices"))).hasSize(1);
    }

    @Test
    void refusesInvalidStatusesWith400AndStoresNothing() throws Exception {
        List<String> bad = List.of("", "not json", "[]", "{\"status\":\"success\"}",
                STATUS.formatted("all"), STATUS.formatted("ok").replace("success", "passed"),
                STATUS.formatted("ok").replace("aa-bb-cc-dd-ee-0f", "zz"), STATUS.formatted("ok") + "{}",
                STATUS.formatted("ok").replace("\"2025-08-28T14:52:34.615642\"", "\"yesterday\""));
        for (String body : bad) {
            HttpResponse<String> answer = api.post("/api/events", body);
            assertThat(answer.statusCode()).as(body).isEqualTo(400);
            assertThat(object(answer).get("error").getAsString()).as(body).isNotBlank().doesNotContain("Exception");
        }
        assertThat(api.post("/api/events", STATUS.formatted("ok"), "Idempotency-Key", "").statusCode())
                .isEqualTo(400);
        assertThat(seqs(api.get("/api/events"))).isEmpty();
    }

    @Test
    void refusesBodiesOverTheLimitWith413WithoutReadingThemWhole() throws Exception {
        String declared = api.raw("POST /api/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: 104857600\r\n\r\n", "{\"a\":\"".getBytes(StandardCharsets.US_ASCII));
        assertThat(declared).startsWith("HTTP/1.1 413").contains("body larger than 65536 bytes");

        StringBuilder chunked = new StringBuilder();
        String chunk = "x".repeat(4096);
        for (int i = 0; i < 20; i++) {
            chunked.append(Integer.toHexString(chunk.length())).append("\r\n").append(chunk).append("\r\n");
        }
        chunked.append("0\r\n\r\n");
        String streamed = api.raw("POST /api/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n",
                chunked.toString().getBytes(StandardCharsets.US_ASCII));
        assertThat(streamed).startsWith("HTTP/1.1 413");

        assertThat(api.get("/healthz").statusCode()).as("the listener still serves").isEqualTo(200);
        assertThat(seqs(api.get("/api/events"))).isEmpty();
    }

    @Test
    void answers503WithRetryAfterWhenTheStoreWriterRefuses() throws Exception {
        gateway.gateway().writer().close(); // a stopped writer refuses every submit, as a saturated one does

        HttpResponse<String> refused = api.post("/api/events", STATUS.formatted("press-1"), "Idempotency-Key", "k1");

        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(object(refused).get("error").getAsString()).contains("retry");
    }

    @Test
    void listensForHttpOnlyWhenAPortIsConfigured(@TempDir Path other) throws Exception {
        try (GatewayFixture wsOnly = new GatewayFixture(other).start()) {
            assertThat(wsOnly.gateway().httpPort()).isEqualTo(-1);
        }
        assertThat(gateway.gateway().httpPort()).isPositive().isNotEqualTo(gateway.gateway().port());
    }

    @Test
    void answersUnknownPathsWith404AndWrongMethodsWith405() throws Exception {
        HttpResponse<String> unknown = api.get("/api/nothing");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(object(unknown).get("error").getAsString()).contains("/api/nothing");
        assertThat(api.post("/nothing", "{}").statusCode()).isEqualTo(404);

        HttpResponse<String> wrong = api.post("/api/devices", "{}");
        assertThat(wrong.statusCode()).isEqualTo(405);
        assertThat(wrong.headers().firstValue("Allow")).hasValue("GET");
        HttpResponse<String> delete = api.send(api.request("/api/events").DELETE().build());
        assertThat(delete.statusCode()).isEqualTo(405);
        assertThat(delete.headers().firstValue("Allow")).hasValue("GET, POST");
        assertThat(object(delete).get("error").getAsString()).contains("DELETE");
    }

    @Test
    void healthzReportsVersionEventCountAndLatestSeq() throws Exception {
        agentWith(4).close();
        HttpResponse<byte[]> raw = api.getBytes("/healthz");
        assertThat(raw.statusCode()).isEqualTo(200);
        assertThat(raw.body()[0]).as("no BOM").isEqualTo((byte) '{');
        JsonObject health = object(api.get("/healthz"));
        assertThat(health.get("status").getAsString()).isEqualTo("ok");
        assertThat(health.get("version").getAsString()).isNotBlank();
        assertThat(health.get("events").getAsLong()).isEqualTo(4);
        assertThat(health.get("latest_seq").getAsLong()).isEqualTo(firstSeq() + 3);
    }

    @Test
    void servesTheDashboardWithTheWebSocketPortFilledIn() throws Exception {
        HttpResponse<String> page = api.get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(page.body()).contains("content=\"" + gateway.gateway().port() + "\"").doesNotContain("{{");
        assertThat(api.get("/dashboard/app.js").statusCode()).isEqualTo(200);
        assertThat(api.get("/dashboard/style.css").statusCode()).isEqualTo(200);
        assertThat(api.get("/dashboard/missing.js").statusCode()).isEqualTo(404);
        JsonObject summary = object(api.get("/api/summary"));
        assertThat(summary.get("per_minute").getAsJsonArray()).hasSize(60);
    }

    @Test
    void pollingWithSinceAcrossARestartSeesEveryEventOnce() throws Exception {
        TestAgent agent = TestAgent.hello(gateway.uri("/ws/agents"), "rig-1", null, List.of());
        List<Long> seen = new ArrayList<>();
        long since = 0;
        int sent = 0;
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 25; i++) {
                sent++;
                agent.sendStatus(sent, TestAgent.result("bench-" + (sent % 4), StatusKind.FAIL, "n" + sent));
                if (i % 5 == 0) {
                    api.post("/api/events", STATUS.formatted("press-" + round), "Idempotency-Key", "k" + sent);
                }
            }
            int expected = sent;
            TestAgent current = agent;
            await().until(() -> current.acked().contains((long) expected));
            since = pollAll(since, seen, 7);
            agent.close();
            gateway.restartOnSamePorts();
            agent = TestAgent.hello(gateway.uri("/ws/agents"), "rig-1", null, List.of());
        }
        agent.close();
        pollAll(since, seen, 7);
        // 90 events, in seq order, none twice; each restart continues above the clock's floor (issue 14.1)
        assertThat(seen).hasSize(90).isSorted().doesNotHaveDuplicates();
        assertThat(seen).containsExactlyElementsOf(seqs(api.get("/api/events?limit=10000")));
    }

    /** Polls with a small page size until an empty page, as a 1C poller does. */
    private long pollAll(long since, List<Long> seen, int limit) throws Exception {
        while (true) {
            List<Long> page = seqs(api.get("/api/events?since=" + since + "&limit=" + limit));
            if (page.isEmpty()) {
                return since;
            }
            seen.addAll(page);
            since = page.get(page.size() - 1);
        }
    }

    /** The seq of the first stored event: seq starts above the clock's floor, not at 1 (issue 14.1). */
    private long firstSeq() {
        return gateway.gateway().store().eventsAfter(0, null, 1).get(0).seq();
    }

    private static List<Long> seqs(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return array(response).stream().map(o -> o.get("seq").getAsLong()).toList();
    }

}
