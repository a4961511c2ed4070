package io.benchlink.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.benchlink.common.status.StatusKind;
import io.benchlink.common.time.WallClock;
import io.benchlink.gateway.agents.AgentLinks;
import io.benchlink.gateway.auth.Credentials;
import io.benchlink.gateway.config.GatewayConfig;
import io.benchlink.gateway.config.SecurityConfig;
import io.benchlink.gateway.metrics.GatewayMetrics;
import io.benchlink.gateway.metrics.StatusTally;
import io.benchlink.gateway.store.StoreWriter;
import io.benchlink.gateway.store.sqlite.SqliteEventStore;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP API of PROTOCOL.md §4 end to end through the listener, on a real socket and a real SQLite store in a
 * temporary directory, but without the rest of the gateway: routing, tokens, origins, the body rules, the answers
 * and their headers. One listener for the class; each test uses its own device ids.
 */
class HttpListenerTest {
    private static final String READER = "reader-secret";
    private static final String PUSHER = "pusher-secret";

    @TempDir
    static Path dir;
    private static SqliteEventStore store;
    private static StoreWriter writer;
    private static HttpListener listener;
    private static final StatusTally httpReceived = new StatusTally();
    private static final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeAll
    static void start() throws Exception {
        GatewayConfig config = GatewayConfig.builder().bind("127.0.0.1").httpPort(0).dataDir(dir)
                .zone(ZoneId.of("UTC")).subscriberTokens(List.of(READER)).agentTokens(List.of(PUSHER, "rig-1:bound"))
                .security(SecurityConfig.defaults().withAllowedOrigins(List.of("https://mes.example")))
                .build();
        WallClock clock = WallClock.of(ZoneId.of("UTC"));
        store = SqliteEventStore.open(dir);
        writer = new StoreWriter(store, clock, Duration.ofDays(30), 100, events -> { });
        writer.start();
        AgentLinks links = new AgentLinks((task, delay) -> { }, Duration.ofSeconds(30), writer::submit, clock);
        GatewayMetrics metrics = new GatewayMetrics(new GatewayMetrics.Sources(
                new GatewayMetrics.Store(store::sizeBytes, store::oldestSeq, store::latestSeq, writer::queueDepth,
                        writer::failedCommits),
                new GatewayMetrics.Agents(links::connected, links::linksLost, links::ownershipConflicts,
                        new StatusTally()),
                new GatewayMetrics.Subscribers(() -> 0, new StatusTally(), () -> 0, () -> 0), httpReceived));
        listener = HttpListener.start(new HttpListener.Parts(config, clock, store, writer, metrics, httpReceived, links,
                8123, "9.9.9-test", Credentials.load(config), null));
    }

    @AfterAll
    static void stop() {
        if (listener != null) {
            listener.close();
        }
        if (writer != null) {
            writer.close();
        }
        if (store != null) {
            store.close();
        }
    }

    private static HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + listener.port() + pathAndQuery))
                .timeout(Duration.ofSeconds(20));
    }

    private static HttpResponse<String> get(String pathAndQuery) throws Exception {
        return client.send(request(pathAndQuery).header("Authorization", "Bearer " + READER).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder post(String body) {
        return request("/api/events").header("Authorization", "Bearer " + PUSHER)
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private static String status(String deviceId, String status) {
        return "{\"serial_number\":\"SN-1\",\"status\":\"" + status + "\",\"result\":\"r\",\"device_id\":\""
                + deviceId + "\"}";
    }

    private static void assertError(HttpResponse<String> response, int code, String message) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(code);
        assertThat(response.body().strip()).isEqualTo("{\"error\":\"" + message + "\"}");
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
    }

    @Test
    void aPostedStatusIsStoredAnsweredWith201AndItsSeqAndThenPolledAndListed() throws Exception {
        HttpResponse<String> posted = send(post(status("http-a", "fail")));

        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(201);
        String seq = posted.headers().firstValue("Benchlink-Seq").orElseThrow();
        assertThat(posted.body()).contains("\"seq\":" + seq, "\"device_id\":\"http-a\"", "\"status\":\"fail\"");
        assertThat(posted.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(httpReceived.get(StatusKind.FAIL)).isPositive();

        HttpResponse<String> polled = get("/api/events?device_id=http-a&since=" + (Long.parseLong(seq) - 1));
        assertThat(polled.statusCode()).isEqualTo(200);
        assertThat(polled.body()).isEqualTo("[" + posted.body() + "]");
        assertThat(polled.headers().firstValue("Benchlink-Oldest-Seq")).isPresent();
        assertThat(get("/api/events?device_id=http-a&since=" + seq).body()).isEqualTo("[]");

        HttpResponse<String> one = get("/api/devices/http-a");
        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(one.body()).isEqualTo(posted.body());
        assertThat(Long.parseLong(one.headers().firstValue("Benchlink-Latest-Seq").orElseThrow()))
                .isGreaterThanOrEqualTo(Long.parseLong(seq));
        assertThat(get("/api/devices").body()).contains(posted.body());
    }

    @Test
    void aRepeatedIdempotencyKeyAnswers200WithTheFirstEventAndStoresNothingNew() throws Exception {
        HttpResponse<String> first = send(post(status("http-b", "success")).header("Idempotency-Key", "order-42"));
        HttpResponse<String> again = send(post(status("http-b", "fail")).header("Idempotency-Key", "order-42"));

        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(get("/api/events?device_id=http-b").body()).isEqualTo("[" + first.body() + "]");
    }

    @Test
    void aBadIdempotencyKeyIsA400() throws Exception {
        assertError(send(post(status("http-c", "success")).header("Idempotency-Key", "a b")), 400,
                "Idempotency-Key must be 1-200 visible ASCII characters");
        assertThat(send(post(status("http-c", "success")).header("Idempotency-Key", "k".repeat(200))).statusCode())
                .isEqualTo(201);
        assertThat(send(post(status("http-c", "success")).header("Idempotency-Key", "k".repeat(201))).statusCode())
                .isEqualTo(400);
    }

    @Test
    void aLeadingByteOrderMarkIsAccepted() throws Exception {
        HttpResponse<String> response = send(post("\uFEFF" + status("http-d", "success")));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    }

    @Test
    void aBodyThatIsNotUtf8IsA400() throws Exception {
        byte[] body = status("http-e", "success").replace("SN-1", "SN-\u0001").getBytes(StandardCharsets.UTF_8);
        body[body.length - 3] = (byte) 0xC3; // a lone lead byte inside the device id
        HttpResponse<String> response = send(request("/api/events").header("Authorization", "Bearer " + PUSHER)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)));

        assertError(response, 400, "body is not valid UTF-8");
    }

    @Test
    void aBodyOverTheLimitIs413BeforeItIsRead() throws Exception {
        // A raw socket that declares one byte over the limit and sends none of it: the answer cannot wait for the
        // body. (A client that sends a large body races the server's close without reading it: its kernel may
        // reset the connection before the client reads the 413.)
        try (Socket socket = new Socket("127.0.0.1", listener.port())) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + PUSHER
                    + "\r\nContent-Type: application/json\r\nContent-Length: "
                    + (SecurityConfig.DEFAULT_MAX_HTTP_BODY + 1) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder answer = new StringBuilder();
            byte[] buffer = new byte[4096];
            int n;
            while (answer.indexOf("}") < 0 && (n = in.read(buffer)) > 0) {
                answer.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
            }
            assertThat(answer.toString()).startsWith("HTTP/1.1 413")
                    .contains("body larger than " + SecurityConfig.DEFAULT_MAX_HTTP_BODY + " bytes");
        }
    }

    @Test
    void aPostThatIsNotDeclaredJsonIs415() throws Exception {
        HttpResponse<String> plain = send(request("/api/events").header("Authorization", "Bearer " + PUSHER)
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("{}")));
        assertError(plain, 415, "Content-Type must be application/json (got \\\"text/plain\\\")");

        HttpResponse<String> none = send(request("/api/events").header("Authorization", "Bearer " + PUSHER)
                .POST(HttpRequest.BodyPublishers.ofString("{}")));
        assertError(none, 415, "Content-Type: application/json required");
    }

    @Test
    void aMalformedStatusIsA400() throws Exception {
        assertThat(send(post("{\"status\":\"success\"}")).statusCode()).isEqualTo(400);
        assertThat(send(post("not json")).statusCode()).isEqualTo(400);
    }

    @Test
    void aPostNeedsAnUnboundAgentTokenAndAReadASubscriberToken() throws Exception {
        HttpResponse<String> none = send(request("/api/events").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(status("http-g", "success"))));
        assertError(none, 401, "token required");
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");

        HttpResponse<String> bound = send(request("/api/events").header("Authorization", "Bearer bound")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(status("http-g", "success"))));
        assertError(bound, 401, "wrong token");

        assertError(send(request("/api/devices")), 401, "token required");
        assertError(send(request("/api/devices").header("Authorization", "Bearer " + PUSHER)), 401, "wrong token");
        assertThat(send(request("/api/devices?token=" + READER)).statusCode()).as("token as a query parameter")
                .isEqualTo(200);
    }

    @Test
    void aPostFromAPageOfAnotherSiteIs403BeforeTheTokenIsLookedAt() throws Exception {
        HttpResponse<String> foreign = send(request("/api/events").header("Origin", "https://evil.example")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(status("http-h", "success"))));
        assertError(foreign, 403, "origin https://evil.example not allowed (allowed_origins)");

        assertThat(send(post(status("http-h", "success")).header("Origin", "https://mes.example")).statusCode())
                .isEqualTo(201);
        assertThat(send(post(status("http-h", "success"))
                .header("Origin", "http://127.0.0.1:" + listener.port())).statusCode()).as("same origin")
                .isEqualTo(201);
    }

    @Test
    void anUnknownPathIs404AndAWrongMethodIs405WithAllow() throws Exception {
        assertError(get("/api/nothing"), 404, "no such endpoint: /api/nothing");

        HttpResponse<String> delete = send(request("/api/events").DELETE());
        assertThat(delete.statusCode()).isEqualTo(405);
        assertThat(delete.headers().firstValue("Allow")).hasValue("GET, POST");
        assertThat(delete.body()).contains("method DELETE not allowed here");
    }

    @Test
    void anUnknownDeviceIs404AndAnInvalidIdIs400() throws Exception {
        assertError(get("/api/devices/never-seen"), 404, "unknown device never-seen");
        assertThat(get("/api/devices/bad%20id").statusCode()).isEqualTo(400);
        assertThat(get("/api/devices/all").statusCode()).isEqualTo(400);
    }

    @Test
    void pollParametersAreChecked() throws Exception {
        assertError(get("/api/events?limit=0"), 400, "limit must be 1..10000 (got 0)");
        assertThat(get("/api/events?limit=1").statusCode()).isEqualTo(200);
        assertThat(get("/api/events?limit=10000").statusCode()).isEqualTo(200);
        assertThat(get("/api/events?limit=10001").statusCode()).isEqualTo(400);
        assertThat(get("/api/events?since=-1").statusCode()).isEqualTo(400);
        assertThat(get("/api/events?device_id=a%20b").statusCode()).isEqualTo(400);
        assertThat(get("/api/events?bogus=1").statusCode()).isEqualTo(400);
        assertThat(get("/api/events?since=1&since=2").statusCode()).isEqualTo(400);
    }

    @Test
    void theLimitBoundsThePollAnswer() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThat(send(post(status("http-i", "success"))).statusCode()).isEqualTo(201);
        }
        assertThat(get("/api/events?device_id=http-i&limit=2").body().split("\"seq\"")).hasSize(3);
    }

    @Test
    void devicesArePagedInIdOrderWithTheNextPagesStart() throws Exception {
        for (String id : List.of("page-a", "page-b", "page-c")) {
            assertThat(send(post(status(id, "success"))).statusCode()).isEqualTo(201);
        }
        HttpResponse<String> page = get("/api/devices?after=page-&limit=2");
        assertThat(page.body()).contains("page-a", "page-b").doesNotContain("page-c");
        assertThat(page.headers().firstValue("Benchlink-Next-After")).hasValue("page-b");
        assertThat(page.headers().firstValue("Benchlink-Latest-Seq")).isPresent();

        assertThat(get("/api/devices?after=bad%20id&limit=2").statusCode()).isEqualTo(400);
    }

    @Test
    void healthNeedsNoTokenAndReportsTheStore() throws Exception {
        HttpResponse<String> health = send(request("/healthz"));

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).startsWith("{\"status\":\"ok\",\"version\":\"9.9.9-test\",\"events\":")
                .contains("\"latest_seq\":");
    }

    @Test
    void metricsSummaryAndAgentsAreReadsForSubscribers() throws Exception {
        HttpResponse<String> metrics = get("/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type")).hasValue(GatewayMetrics.CONTENT_TYPE);
        assertThat(metrics.body()).contains("benchlink_statuses_received_total");

        assertThat(get("/api/summary").body()).contains("\"per_minute\"");
        assertThat(get("/api/agents").body()).isEqualTo("[]");
        assertThat(send(request("/metrics")).statusCode()).isEqualTo(401);
        assertThat(get("/api/summary?x=1").statusCode()).isEqualTo(400);
    }

    @Test
    void theDashboardIsOpenAndItsFilesAreServed() throws Exception {
        HttpResponse<String> index = send(request("/"));
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.body()).contains("content=\"8123\"");
        assertThat(send(request("/dashboard/app.js")).headers().firstValue("Content-Type"))
                .hasValue("text/javascript; charset=utf-8");
        assertError(send(request("/dashboard/missing.js")), 404, "no such file: /dashboard/missing.js");
    }
}
