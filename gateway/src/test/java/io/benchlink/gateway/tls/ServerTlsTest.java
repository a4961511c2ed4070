package io.benchlink.gateway.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.benchlink.gateway.config.ConfigException;
import io.benchlink.gateway.config.TlsConfig;
import io.benchlink.gateway.testing.CapturedLogs;
import io.benchlink.gateway.testing.SelfSignedCert;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway's TLS context (issue 7, 14.6): TLS 1.2 and 1.3 only whatever the JVM allows, a keystore that must
 * open and hold a key (a one-line reason otherwise), a reload that keeps the certificate in force when the new one
 * is unusable, and a warning before the certificate expires. One keytool certificate (valid 2 days) for the class.
 */
class ServerTlsTest {
    @TempDir
    static Path dir;
    private static SelfSignedCert cert;

    @BeforeAll
    static void makeCertificate() throws Exception {
        cert = SelfSignedCert.create(dir);
    }

    private static TlsConfig config() {
        return new TlsConfig(cert.keystore(), cert.password().toCharArray());
    }

    private static X509Certificate served(ReloadableKeys keys) {
        String alias = keys.chooseEngineServerAlias("EC", null, null);
        assertThat(alias).isNotNull();
        return keys.getCertificateChain(alias)[0];
    }

    @Test
    void everyEngineAndTheDefaultParametersOfferOnlyTls12And13() throws Exception {
        SSLContext context = ServerTls.context(config());

        assertThat(context.createSSLEngine().getEnabledProtocols()).containsExactlyInAnyOrder("TLSv1.3", "TLSv1.2");
        SSLEngine named = context.createSSLEngine("localhost", 8000);
        assertThat(named.getEnabledProtocols()).containsExactlyInAnyOrder("TLSv1.3", "TLSv1.2");
        assertThat(named.getPeerHost()).isEqualTo("localhost");
        assertThat(context.getDefaultSSLParameters().getProtocols()).containsExactlyInAnyOrder("TLSv1.3", "TLSv1.2");
        assertThat(context.getSupportedSSLParameters().getProtocols()).containsExactlyInAnyOrder("TLSv1.3", "TLSv1.2");
        assertThat(context.getServerSessionContext()).isNotNull();
        assertThat(context.getClientSessionContext()).isNotNull();
        assertThat(context.getSocketFactory()).isNotNull();
        assertThatThrownBy(context::getServerSocketFactory).isInstanceOf(UnsupportedOperationException.class);
        assertThat(ServerTls.reload()).isTrue();
    }

    @Test
    void theKeystoresKeyAndCertificateAreServed() {
        ReloadableKeys keys = new ReloadableKeys(config(), Clock.systemUTC());
        String alias = keys.chooseEngineServerAlias("EC", null, null);

        assertThat(keys.getPrivateKey(alias)).isNotNull();
        assertThat(keys.getServerAliases("EC", null)).contains(alias);
        assertThat(keys.chooseServerAlias("EC", null, null)).isEqualTo(alias);
        assertThat(served(keys).getSubjectX500Principal().getName()).contains("localhost");
        assertThat(keys.getClientAliases("EC", null)).isNotNull();
        assertThat(keys.chooseClientAlias(new String[] {"EC"}, null, null)).isEqualTo(alias);
    }

    @Test
    void aReloadServesTheNewCertificateAndAnUnusableOneKeepsTheCurrent() throws Exception {
        Path copy = dir.resolve("reloaded.p12");
        Files.copy(cert.keystore(), copy);
        TlsConfig config = new TlsConfig(copy, cert.password().toCharArray());
        ReloadableKeys keys = new ReloadableKeys(config, Clock.systemUTC());
        X509Certificate before = served(keys);

        SelfSignedCert renewed = SelfSignedCert.create(Files.createDirectory(dir.resolve("renewed")));
        Files.copy(renewed.keystore(), copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThat(keys.reload()).isTrue();
        X509Certificate after = served(keys);
        assertThat(after).isNotEqualTo(before);

        Files.writeString(copy, "not a keystore");
        assertThat(keys.reload()).isFalse();
        assertThat(served(keys)).isEqualTo(after);
    }

    @Test
    void aWrongPasswordOrAMissingFileIsAOneLineReason() {
        assertThatThrownBy(() -> ServerTls.load(new TlsConfig(cert.keystore(), "wrong".toCharArray())))
                .isInstanceOf(ConfigException.class)
                .hasMessage("--tls-keystore cannot open " + cert.keystore() + " (wrong password or not a PKCS12 keystore)");
        Path missing = dir.resolve("missing.p12");
        assertThatThrownBy(() -> ServerTls.load(new TlsConfig(missing, "pw".toCharArray())))
                .hasMessage("--tls-keystore cannot open " + missing + " (NoSuchFileException)");
        assertThatThrownBy(() -> ServerTls.context(new TlsConfig(missing, "pw".toCharArray())))
                .isInstanceOf(ConfigException.class);
    }

    @Test
    void aKeystoreWithoutAPrivateKeyIsRefused() throws Exception {
        KeyStore empty = KeyStore.getInstance("PKCS12");
        empty.load(null, null);
        KeyStore full = ServerTls.load(config());
        empty.setCertificateEntry("ca", full.getCertificate(full.aliases().nextElement()));

        assertThatThrownBy(() -> ServerTls.keyManager(empty, config())).isInstanceOf(ConfigException.class)
                .hasMessage("--tls-keystore " + cert.keystore() + " holds no private key");
        assertThat(ServerTls.keyManager(full, config())).isNotNull();
    }

    @Test
    void aCertificateCloseToItsExpiryOrPastItIsWarnedAbout() {
        Instant notAfter = served(new ReloadableKeys(config(), Clock.systemUTC())).getNotAfter().toInstant();

        try (CapturedLogs logs = new CapturedLogs()) {
            new ReloadableKeys(config(), Clock.fixed(notAfter.minus(Duration.ofDays(30)), ZoneOffset.UTC));
            assertThat(logs.lines()).noneMatch(l -> l.contains("TLS certificate"));
            new ReloadableKeys(config(), Clock.fixed(notAfter.minus(Duration.ofDays(13)), ZoneOffset.UTC));
            assertThat(logs.lines()).anyMatch(l -> l.contains(" expires "));
            new ReloadableKeys(config(), Clock.fixed(notAfter.plusSeconds(1), ZoneOffset.UTC));
            assertThat(logs.lines()).anyMatch(l -> l.contains(" expired "));
        }
    }

    @Test
    void thePasswordIsNeverPartOfTheSettingsText() {
        assertThat(config().toString()).isEqualTo("TlsConfig[keystore=" + cert.keystore() + "]")
                .doesNotContain(cert.password());
        assertThat(config()).isEqualTo(config()).hasSameHashCodeAs(config());
        assertThat(config()).isNotEqualTo(new TlsConfig(cert.keystore(), "other".toCharArray()));
    }
}
