package io.benchlink.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.benchlink.gateway.config.SecurityConfig;
import io.benchlink.gateway.config.TlsConfig;
import io.benchlink.gateway.testing.GatewayFixture;
import io.benchlink.gateway.testing.HttpApi;
import io.benchlink.gateway.testing.SelfSignedCert;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Issue 14.6: a browser page on another site can neither post events nor open a WebSocket (docs/PROTOCOL.md §2, §4). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BrowserOriginsIT {
    private static final String STATUS = "{\"mac_address\":\"aa-bb-cc-dd-ee-0f\",\"serial_number\":\"SN-9\","
            + "\"status\":\"success\",\"time_start\":\"2025-08-28T14:52:34.615642\","
            + "\"time_end\":\"2025-08-28T14:54:52.029134\",\"result\":\"from a page\",\"device_id\":\"%s\"}";
    private static final String LISTED = "https://ops.example:8443";

    @TempDir
    Path dir;

    private GatewayFixture gateway(List<String> allowed) throws Exception {
        return new GatewayFixture(dir, c -> c.withSecurity(c.security().withAllowedOrigins(allowed))).withHttp()
                .start();
    }

    @Test
    void withoutAListAPostFromAnotherSiteGets403AndIsNotStoredWhileSameOriginAndNoOriginPass() throws Exception {
        try (GatewayFixture gw = gateway(List.of())) {
            HttpApi api = new HttpApi(gw);
            var foreign = api.post("/api/events", STATUS.formatted("press-evil"), "Origin", "https://evil.example");
            assertThat(foreign.statusCode()).isEqualTo(403);
            assertThat(HttpApi.object(foreign).get("error").getAsString()).contains("origin");
            assertThat(api.get("/api/devices/press-evil").statusCode()).isEqualTo(404);

            assertThat(api.post("/api/events", STATUS.formatted("press-1"), "Origin", "null").statusCode())
                    .isEqualTo(403);
            String self = "http://127.0.0.1:" + gw.gateway().httpPort();
            assertThat(api.post("/api/events", STATUS.formatted("press-1"), "Origin", self).statusCode())
                    .isEqualTo(201);
            assertThat(api.post("/api/events", STATUS.formatted("press-2")).statusCode()).isEqualTo(201);
        }
    }

    @Test
    void aListedOriginMayPostAndAnUnlistedOneMayNot() throws Exception {
        try (GatewayFixture gw = gateway(List.of(LISTED))) {
            HttpApi api = new HttpApi(gw);
            assertThat(api.post("/api/events", STATUS.formatted("press-1"), "Origin", "HTTPS://Ops.Example:8443")
                    .statusCode()).isEqualTo(201);
            assertThat(api.post("/api/events", STATUS.formatted("press-1"), "Origin", "http://ops.example:8443")
                    .statusCode()).isEqualTo(403);
        }
    }

    @Test
    void anUpgradeFromAnotherSiteIsAnsweredWithOne403AndTheConnectionClosed() throws Exception {
        try (GatewayFixture gw = gateway(List.of(LISTED))) {
            String answer = upgrade(gw.gateway().port(), "/ws/devices/all", "https://evil.example");
            assertThat(answer).startsWith("HTTP/1.1 403 Forbidden\r\n").contains("Connection: close\r\n")
                    .endsWith("\r\n\r\n{\"error\":\"origin not allowed (allowed_origins)\"}\n");
            assertThat(answer.indexOf("HTTP/1.1", 1)).as("nothing after the refusal (no library 404)").isEqualTo(-1);
            assertThat(upgrade(gw.gateway().port(), "/ws/agents", "null")).startsWith("HTTP/1.1 403 ");
        }
    }

    @Test
    void theDashboardsOwnOriginAListedOneAndNoOriginOpenWebSocketsWithoutConfiguration() throws Exception {
        try (GatewayFixture gw = gateway(List.of())) {
            int ws = gw.gateway().port();
            String dashboard = "http://127.0.0.1:" + gw.gateway().httpPort();
            assertThat(upgrade(ws, "/ws/devices/all", dashboard)).startsWith("HTTP/1.1 101 ");
            assertThat(upgrade(ws, "/ws/devices/all", null)).startsWith("HTTP/1.1 101 ");
            assertThat(upgrade(ws, "/ws/devices/all", "http://127.0.0.1:" + ws)).startsWith("HTTP/1.1 403 ");
            assertThat(upgrade(ws, "/ws/devices/all", "http://localhost:" + gw.gateway().httpPort()))
                    .startsWith("HTTP/1.1 403 ");
        }
        try (GatewayFixture gw = gateway(List.of(LISTED))) {
            assertThat(upgrade(gw.gateway().port(), "/ws/devices/all", LISTED)).startsWith("HTTP/1.1 101 ");
        }
    }

    @Test
    void overTlsTheRefusalIsSentWholeBeforeTheConnectionCloses() throws Exception {
        SelfSignedCert cert = SelfSignedCert.create(Files.createDirectories(dir.resolve("cert")));
        SecurityConfig tls = new SecurityConfig(Duration.ofSeconds(10), 1000, null,
                new TlsConfig(cert.keystore(), cert.password().toCharArray()));
        try (GatewayFixture gw = new GatewayFixture(dir.resolve("data"), c -> c.withSecurity(tls)).start();
                Socket socket = cert.clientContext().getSocketFactory().createSocket("127.0.0.1",
                        gw.gateway().port())) {
            String answer = upgrade(socket, gw.gateway().port(), "/ws/devices/all", "https://evil.example");
            assertThat(answer).startsWith("HTTP/1.1 403 Forbidden\r\n")
                    .endsWith("\r\n\r\n{\"error\":\"origin not allowed (allowed_origins)\"}\n");
        }
    }

    private static String upgrade(int port, String path, String origin) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            return upgrade(socket, port, path, origin);
        }
    }

    /**
     * A raw upgrade with {@code Origin} (none for null); returns everything the server sends until it closes, or
     * only the response head when it switches protocols (it keeps the connection open then).
     */
    private static String upgrade(Socket socket, int port, String path, String origin) throws IOException {
        socket.setSoTimeout(10_000);
        String request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: MDEyMzQ1Njc4OWFiY2RlZg==\r\n"
                + "Sec-WebSocket-Version: 13\r\n" + (origin == null ? "" : "Origin: " + origin + "\r\n") + "\r\n";
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        try {
            for (int b = in.read(); b >= 0; b = in.read()) {
                answer.write(b);
                String text = answer.toString(StandardCharsets.ISO_8859_1);
                if (text.startsWith("HTTP/1.1 101 ") && text.endsWith("\r\n\r\n")) {
                    break;
                }
            }
        } catch (SocketTimeoutException e) {
            return answer.toString(StandardCharsets.ISO_8859_1) + "<not closed>";
        }
        return answer.toString(StandardCharsets.ISO_8859_1);
    }
}
