package io.benchlink.agent.uplink;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * The socket factory for {@code wss://} to a gateway whose certificate a private CA signed (issue 7): trusts exactly
 * the certificates of one PEM (or DER) file. Java-WebSocket's client still checks the host name (HTTPS endpoint
 * identification), so the gateway's certificate must name the host the agent connects to. Immutable.
 */
final class TrustedCa {
    private TrustedCa() {
    }

    static SSLSocketFactory socketFactory(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            Collection<? extends Certificate> certs =
                    java.security.cert.CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certs.isEmpty()) {
                throw new IllegalArgumentException("uplink: trusted CA file " + file + " holds no certificate");
            }
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            int i = 0;
            for (Certificate cert : certs) {
                trust.setCertificateEntry("ca-" + i++, cert);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context.getSocketFactory();
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("uplink: trusted CA file " + file + " is not a certificate ("
                    + e.getClass().getSimpleName() + ")");
        }
    }
}
