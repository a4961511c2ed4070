package io.benchlink.agent.uplink;

import static io.benchlink.agent.spool.TestStatuses.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.benchlink.agent.spool.Spool;
import io.benchlink.agent.spool.SpoolConfig;
import io.benchlink.common.testing.Keytool;
import io.benchlink.common.time.WallClock;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.java_websocket.server.DefaultSSLWebSocketServerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7, agent side: over {@code wss://} the uplink verifies the gateway's certificate; a private CA is trusted
 * through {@link UplinkConfig#trustedCa()}. The certificate is made by keytool during the test.
 */
@Timeout(60)
class UplinkTlsIT {
    private static final String TOKEN = "tls-token";
    private static final String PASSWORD = "test-keystore-pw";

    @TempDir
    static Path certDir;
    static Path keystore;
    static Path pem;

    @TempDir
    Path dir;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @BeforeAll
    static void makeCertificate() throws Exception {
        keystore = certDir.resolve("gateway.p12");
        pem = certDir.resolve("gateway.pem");
        Keytool.selfSigned(keystore, pem, PASSWORD, 2);
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    @Test
    void deliversOverWssWhenTheGatewayCertificateIsSignedByTheTrustedCa() throws Exception {
        FakeGateway gateway = tlsGateway();
        Spool spool = spool();
        spool.append(result("bench-07", 1));
        spool.append(result("bench-07", 2));
        Uplink uplink = uplink(config(gateway).withTrustedCa(pem), spool);
        await().until(() -> gateway.storedSeqs().size() == 2 && spool.depth() == 0);
        assertThat(uplink.state()).isEqualTo(LinkState.CONNECTED);
    }

    @Test
    void refusesAGatewayWhoseCertificateItCannotVerify() throws Exception {
        FakeGateway gateway = tlsGateway();
        Spool spool = spool();
        spool.append(result("bench-07", 1));
        Uplink uplink = uplink(config(gateway), spool); // JVM default CAs: the self-signed certificate fails
        await().until(() -> uplink.reconnects() >= 2);
        assertThat(gateway.storedSeqs()).isEmpty();
        assertThat(gateway.hellos()).isEmpty(); // the token never left the agent
        assertThat(spool.depth()).isEqualTo(1);
    }

    @Test
    void anUnreadableOrNonCertificateCaFileIsAConfigError() throws Exception {
        Path junk = Files.writeString(dir.resolve("junk.pem"), "not a certificate");
        UplinkConfig config = config(URI.create("wss://127.0.0.1:1"));
        assertThatThrownBy(() -> config.withTrustedCa(dir.resolve("missing.pem")))
                .hasMessageContaining("cannot be read");
        assertThatThrownBy(() -> new Uplink(config.withTrustedCa(junk), spool(), WallClock.system()))
                .hasMessageContaining("is not a certificate");
    }

    // ---- fixtures -------------------------------------------------------------------------------------------------

    private FakeGateway tlsGateway() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, PASSWORD.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        FakeGateway gateway = new FakeGateway(TOKEN);
        gateway.setWebSocketFactory(new DefaultSSLWebSocketServerFactory(context));
        gateway.startAndWait();
        closeables.add(() -> gateway.stop(2_000));
        return gateway;
    }

    private static UplinkConfig config(FakeGateway gateway) {
        return config(URI.create("wss://localhost:" + gateway.getPort()));
    }

    private static UplinkConfig config(URI uri) {
        return new UplinkConfig(List.of(uri), "rig-07", TOKEN, List.of("bench-07"), 16, Duration.ofSeconds(5),
                Duration.ofSeconds(20), Duration.ofMillis(50), Duration.ofMillis(200));
    }

    private Spool spool() {
        Spool spool = Spool.open(SpoolConfig.defaults(dir));
        closeables.add(spool);
        return spool;
    }

    private Uplink uplink(UplinkConfig config, Spool spool) {
        Uplink uplink = new Uplink(config, spool, WallClock.system());
        closeables.add(uplink);
        uplink.start();
        return uplink;
    }
}
