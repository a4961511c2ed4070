package io.benchlink.gateway.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.benchlink.common.status.StatusKind;
import io.benchlink.gateway.app.Gateway;
import io.benchlink.gateway.config.ConfigException;
import io.benchlink.gateway.config.GatewayConfig;
import io.benchlink.gateway.config.SecurityConfig;
import io.benchlink.gateway.config.TlsConfig;
import io.benchlink.gateway.testing.GatewayFixture;
import io.benchlink.gateway.testing.SelfSignedCert;
import io.benchlink.gateway.testing.Subscriber;
import io.benchlink.gateway.testing.TestAgent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Issue 7: wss:// and https:// from a PKCS12 keystore made during the test; clients verify the certificate. */
@Timeout(60)
class TlsIT {
    @TempDir
    static Path certDir;
    static SelfSignedCert cert;

    @TempDir
    Path dir;
    GatewayFixture gateway;
    SSLContext trusting;

    @BeforeAll
    static void makeCertificate() throws Exception {
        cert = SelfSignedCert.create(certDir);
    }

    private GatewayConfig tls(GatewayConfig c, char[] password) {
        return c.toBuilder().agentTokens(List.of("agent-secret")).subscriberTokens(List.of("sub-secret"))
                .security(new SecurityConfig(Duration.ofSeconds(2), 1000, null,
                        new TlsConfig(cert.keystore(), password))).build();
    }

    @BeforeEach
    void start() throws Exception {
        gateway = new GatewayFixture(dir, c -> tls(c, cert.password().toCharArray())).withHttp().start();
        trusting = cert.clientContext();
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    private URI wss(String path) {
        return URI.create("wss://localhost:" + gateway.gateway().port() + path);
    }

    @Test
    void servesSubscribersAndAgentsOverWssWithAVerifiedCertificate() throws Exception {
        Subscriber subscriber = new Subscriber(wss("/ws/devices/all?token=sub-secret"));
        subscriber.setSocketFactory(trusting.getSocketFactory());
        assertThat(subscriber.connectBlocking(5, TimeUnit.SECONDS)).isTrue();
        TestAgent agent = new TestAgent(wss("/ws/agents"));
        agent.setSocketFactory(trusting.getSocketFactory());
        assertThat(agent.connectBlocking(5, TimeUnit.SECONDS)).isTrue();
        agent.send("{\"type\":\"hello\",\"agent_id\":\"rig-tls\",\"token\":\"agent-secret\",\"devices\":[\"b\"]}");
        assertThat(agent.lastSeq()).isZero();
        agent.sendStatus(1, TestAgent.result("b", StatusKind.SUCCESS, "over tls"));
        await().until(() -> agent.acked().contains(1L));
        await().until(() -> subscriber.received().stream()
                .anyMatch(o -> !o.get("result").isJsonNull() && o.get("result").getAsString().equals("over tls")));
        subscriber.close();
        agent.close();
    }

    @Test
    void servesTheHttpApiOverHttps() throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(trusting).connectTimeout(Duration.ofSeconds(5)).build();
        URI base = URI.create("https://localhost:" + gateway.gateway().httpPort());
        HttpResponse<String> health = client.send(HttpRequest.newBuilder(base.resolve("/healthz")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        HttpResponse<String> devices = client.send(HttpRequest.newBuilder(base.resolve("/api/devices"))
                .header("Authorization", "Bearer sub-secret").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(devices.statusCode()).isEqualTo(200);
    }

    @Test
    void aClientThatDoesNotTrustTheCertificateOrSpeaksPlainWsGetsNoConnection() throws Exception {
        Subscriber untrusting = new Subscriber(wss("/ws/devices/all?token=sub-secret")); // JVM default trust store
        assertThat(untrusting.connectBlocking(5, TimeUnit.SECONDS)).isFalse();
        Subscriber plain = new Subscriber(URI.create("ws://localhost:" + gateway.gateway().port()
                + "/ws/devices/all?token=sub-secret"));
        assertThat(plain.connectBlocking(5, TimeUnit.SECONDS)).isFalse();
        // Neither leaves a half-open socket behind, and a good client still gets in.
        await().atMost(Duration.ofSeconds(10)).until(() -> gateway.gateway().handshakes().pending() == 0);
        Subscriber good = new Subscriber(wss("/ws/devices/all?token=sub-secret"));
        good.setSocketFactory(trusting.getSocketFactory());
        assertThat(good.connectBlocking(5, TimeUnit.SECONDS)).isTrue();
        good.close();
    }

    @Test
    void aWrongKeystorePasswordStopsTheStartWithAConfigErrorThatHidesThePassword(@TempDir Path other) {
        GatewayConfig bad = tls(GatewayFixture.defaults(other), "wrong-password".toCharArray());
        assertThatThrownBy(() -> Gateway.start(bad)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(cert.keystore().toString()).hasMessageNotContaining("wrong-password");
    }
}
