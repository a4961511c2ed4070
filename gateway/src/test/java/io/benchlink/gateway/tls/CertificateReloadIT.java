package io.benchlink.gateway.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.benchlink.gateway.config.SecurityConfig;
import io.benchlink.gateway.config.TlsConfig;
import io.benchlink.gateway.testing.CapturedLogs;
import io.benchlink.gateway.testing.GatewayFixture;
import io.benchlink.gateway.testing.SelfSignedCert;
import io.benchlink.gateway.testing.Subscriber;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Issue 14.6: the certificate is re-read on SIGHUP, an expiring one is warned about, TLS 1.2 is the minimum. */
@Timeout(60)
class CertificateReloadIT {
    @TempDir
    Path dir;

    @Test
    void aReloadedKeystoreServesNewHandshakesAndAnExpiringCertificateIsWarnedAbout() throws Exception {
        SelfSignedCert first = SelfSignedCert.create(Files.createDirectories(dir.resolve("first")));
        SelfSignedCert second = SelfSignedCert.create(Files.createDirectories(dir.resolve("second")));
        Path keystore = dir.resolve("gateway.p12");
        Files.copy(first.keystore(), keystore);
        TlsConfig tls = new TlsConfig(keystore, first.password().toCharArray());
        try (CapturedLogs logs = new CapturedLogs();
             GatewayFixture gateway = new GatewayFixture(Files.createDirectories(dir.resolve("data")),
                     c -> c.withSecurity(new SecurityConfig(Duration.ofSeconds(5), 1000, null, tls))).start()) {
            // both test certificates are valid for two days: inside the 14-day warning
            assertThat(logs.lines()).anyMatch(l -> l.contains("TLS certificate") && l.contains("expires"));
            int port = gateway.gateway().port();
            assertThat(served(port)).isEqualTo(pem(first.certificatePem()));

            Files.copy(second.keystore(), keystore, StandardCopyOption.REPLACE_EXISTING);
            ServerTls.reload(); // what SIGHUP runs

            assertThat(served(port)).isEqualTo(pem(second.certificatePem()));
            assertThat(logs.lines()).anyMatch(l -> l.contains("TLS certificate reloaded from " + keystore));
        }
    }

    @Test
    void aKeystoreThatCannotBeReadOnReloadKeepsTheCertificateInForce() throws Exception {
        SelfSignedCert first = SelfSignedCert.create(dir);
        Path keystore = dir.resolve("live.p12");
        Files.copy(first.keystore(), keystore);
        TlsConfig tls = new TlsConfig(keystore, first.password().toCharArray());
        try (CapturedLogs logs = new CapturedLogs();
             GatewayFixture gateway = new GatewayFixture(Files.createDirectories(dir.resolve("data")),
                     c -> c.withSecurity(new SecurityConfig(Duration.ofSeconds(5), 1000, null, tls))).start()) {
            Files.writeString(keystore, "half-written");
            ServerTls.reload();
            assertThat(logs.lines()).anyMatch(l -> l.contains("TLS certificate not reloaded, the one in force stays"));
            assertThat(served(gateway.gateway().port())).isEqualTo(pem(first.certificatePem()));
        }
    }

    @Test
    void onlyTls13And12AreOffered() throws Exception {
        SelfSignedCert cert = SelfSignedCert.create(dir);
        SSLContext context = ServerTls.context(new TlsConfig(cert.keystore(), cert.password().toCharArray()));
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(false);
        assertThat(engine.getEnabledProtocols()).isSubsetOf("TLSv1.3", "TLSv1.2");
        assertThat(context.getDefaultSSLParameters().getProtocols()).isSubsetOf("TLSv1.3", "TLSv1.2");
        assertThat(context.getSupportedSSLParameters().getProtocols()).isSubsetOf("TLSv1.3", "TLSv1.2");
    }

    /**
     * The certificate the gateway presents to a fresh WebSocket client (a new context: no session to resume). A
     * WebSocket client, not a bare TLS socket: Java-WebSocket 1.6.0's selector thread dies on an assertion (tests
     * run with -ea) when a peer hangs up right after the TLS handshake.
     */
    private static X509Certificate served(int port) throws Exception {
        SSLContext client = SSLContext.getInstance("TLS");
        client.init(null, new TrustManager[] {new TrustAll()}, null);
        Subscriber subscriber = new Subscriber(URI.create("wss://127.0.0.1:" + port + "/ws/devices/all"));
        subscriber.setSocketFactory(client.getSocketFactory());
        assertThat(subscriber.connectBlocking(10, TimeUnit.SECONDS)).isTrue();
        try {
            return (X509Certificate) subscriber.getSSLSession().getPeerCertificates()[0];
        } finally {
            subscriber.closeBlocking();
        }
    }

    private static X509Certificate pem(Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            List<? extends Certificate> certs = List.copyOf(
                    CertificateFactory.getInstance("X.509").generateCertificates(in));
            return (X509Certificate) certs.get(0);
        }
    }

    /** The test compares the served certificate itself, so any chain is accepted here. */
    private static final class TrustAll implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
