package io.benchlink.gateway.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.benchlink.common.protocol.AgentFrameCodec;
import io.benchlink.common.status.DeviceStatus;
import io.benchlink.common.status.StatusKind;
import io.benchlink.common.time.WallClock;
import io.benchlink.gateway.agents.AgentEndpoint;
import io.benchlink.gateway.agents.AgentLinks;
import io.benchlink.gateway.auth.BrowserOrigins;
import io.benchlink.gateway.auth.TokenCheck;
import io.benchlink.gateway.config.TlsConfig;
import io.benchlink.gateway.store.StoreWriter;
import io.benchlink.gateway.store.StoredEvent;
import io.benchlink.gateway.store.WriteCommand;
import io.benchlink.gateway.store.sqlite.SqliteEventStore;
import io.benchlink.gateway.subscribe.SubscriberHub;
import io.benchlink.gateway.testing.SelfSignedCert;
import io.benchlink.gateway.testing.Subscriber;
import io.benchlink.gateway.tls.ServerTls;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.java_websocket.server.DefaultSSLWebSocketServerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The listener behind TLS (issue 7, 14.6), which the handshake guard wraps like a plain socket: a subscriber's live
 * events go out through the TLS engine (never written from the writer's thread), and a refused browser origin still
 * gets its 403 and the socket closed once the encrypted response is out.
 */
@Timeout(60)
class TlsListenerTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    static Path certDir;
    private static SelfSignedCert cert; // made once: keytool is the slow part

    @TempDir
    Path dir;
    private final WallClock clock = WallClock.of(ZoneId.of("UTC"));
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final ExecutorService tlsTasks = Executors.newSingleThreadExecutor();
    private SqliteEventStore store;
    private StoreWriter writer;
    private GatewaySocketServer server;

    @BeforeAll
    static void makeCertificate() throws Exception {
        cert = SelfSignedCert.create(certDir);
    }

    @BeforeEach
    void start() throws Exception {
        store = SqliteEventStore.open(dir.resolve("data"));
        SubscriberHub hub = new SubscriberHub(store, scheduler, 10);
        writer = new StoreWriter(store, clock, Duration.ofDays(30), 100, hub);
        writer.start();
        AgentLinks links = new AgentLinks((task, delay) -> { }, Duration.ofSeconds(30), writer::submit, clock);
        AgentEndpoint agents = new AgentEndpoint(new AgentFrameCodec(clock), clock, writer, links,
                TokenCheck.forAgents(List.of()), 1000, 10, 1000);
        server = new GatewaySocketServer(new InetSocketAddress("127.0.0.1", 0),
                new GatewaySocketServer.Settings(1000, 100, 1), hub, agents, new TokenCheck(List.of()),
                new BrowserOrigins(List.of()), scheduler);
        var tls = ServerTls.context(new TlsConfig(cert.keystore(), cert.password().toCharArray()));
        server.setWebSocketFactory(new HandshakeGuard(new DefaultSSLWebSocketServerFactory(tls, tlsTasks),
                Duration.ofMinutes(5), agents));
        server.startAndWait();
    }

    @AfterEach
    void stop() throws Exception {
        server.shutdown(1000); // also shuts the TLS task executor down
        writer.close();
        store.close();
        scheduler.shutdownNow();
        tlsTasks.shutdownNow();
    }

    @Test
    void aSubscriberOverTlsGetsLiveEvents() throws Exception {
        Subscriber subscriber = new Subscriber(URI.create("wss://127.0.0.1:" + server.getPort() + "/ws/devices/all"));
        subscriber.setSocketFactory(cert.clientContext().getSocketFactory());
        assertThat(subscriber.connectBlocking(10, TimeUnit.SECONDS)).isTrue();

        for (int i = 1; i <= 3; i++) {
            CompletableFuture<StoredEvent> done = new CompletableFuture<>();
            assertThat(writer.submit(new WriteCommand.ClientStatus(null, new DeviceStatus(null, null,
                    StatusKind.SUCCESS, null, null, clock.now(), "ok " + i, "bench-1", 0), done))).isTrue();
            done.get(10, TimeUnit.SECONDS);
        }

        await().atMost(WAIT).until(() -> subscriber.count() == 3);
        List<Long> seqs = subscriber.seqs();
        assertThat(seqs).containsExactly(seqs.get(0), seqs.get(0) + 1, seqs.get(0) + 2);
        subscriber.close();
    }

    @Test
    void aRefusedOriginOverTlsGets403AndTheSocketIsClosed() throws Exception {
        try (Socket socket = cert.clientContext().getSocketFactory().createSocket("127.0.0.1", server.getPort())) {
            socket.setSoTimeout(10_000);
            String request = "GET /ws/devices/all HTTP/1.1\r\nHost: 127.0.0.1:" + server.getPort()
                    + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: MDEyMzQ1Njc4OWFiY2RlZg==\r\n"
                    + "Sec-WebSocket-Version: 13\r\nOrigin: https://evil.example\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            try {
                for (int n; (n = in.read(buffer)) > 0; ) { // until the server hangs up
                    answer.write(buffer, 0, n);
                }
            } catch (java.io.IOException e) {
                // hung up without a TLS close_notify: what was read is the answer
            }

            assertThat(answer.toString(StandardCharsets.UTF_8)).startsWith("HTTP/1.1 403 Forbidden\r\n")
                    .endsWith("{\"error\":\"origin not allowed (allowed_origins)\"}\n");
        }
    }
}
