package io.benchlink.agent.uplink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.benchlink.common.testing.Keytool;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading the private CA file for wss:// (issue 7): a certificate gives a socket factory, anything else one line. */
class TrustedCaTest {
    @TempDir
    Path dir;

    @Test
    void aPemCertificateGivesASocketFactory() throws Exception {
        Path pem = dir.resolve("ca.pem");
        Keytool.selfSigned(dir.resolve("ca.p12"), pem, "changeit", 2);
        SSLSocketFactory factory = TrustedCa.socketFactory(pem);
        assertThat(factory).isNotNull();
        assertThat(factory.getDefaultCipherSuites()).isNotEmpty();
    }

    @Test
    void anEmptyFileHoldsNoCertificate() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.pem"), "");
        assertThatThrownBy(() -> TrustedCa.socketFactory(empty)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("uplink: trusted CA file " + empty + " holds no certificate");
    }

    @Test
    void aFileThatIsNoCertificateIsRefusedWithItsName() throws Exception {
        Path text = Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\nnot base64 at all\n");
        assertThatThrownBy(() -> TrustedCa.socketFactory(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("uplink: trusted CA file " + text + " is not a certificate (");
        Path missing = dir.resolve("missing.pem");
        assertThatThrownBy(() -> TrustedCa.socketFactory(missing))
                .hasMessage("uplink: trusted CA file " + missing + " is not a certificate (NoSuchFileException)");
    }
}
