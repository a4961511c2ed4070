package io.benchlink.gateway.testing;

import io.benchlink.common.testing.Keytool;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed EC certificate for {@code localhost} / {@code 127.0.0.1}, made by the JDK's keytool during the test
 * (issue 7: no certificate is checked in). Gives the PKCS12 keystore for the gateway and the PEM certificate a client
 * trusts as its private CA.
 */
public record SelfSignedCert(Path keystore, String password, Path certificatePem) {

    public static SelfSignedCert create(Path dir) throws IOException, InterruptedException {
        Path keystore = dir.resolve("gateway.p12");
        Path pem = dir.resolve("gateway.pem");
        String password = "test-keystore-pw";
        Keytool.selfSigned(keystore, pem, password, 2);
        return new SelfSignedCert(keystore, password, pem);
    }

    /** A client context that trusts exactly this certificate. */
    public SSLContext clientContext() throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        List<Certificate> certs = new ArrayList<>();
        try (InputStream in = Files.newInputStream(certificatePem)) {
            certs.addAll(CertificateFactory.getInstance("X.509").generateCertificates(in));
        }
        for (int i = 0; i < certs.size(); i++) {
            trust.setCertificateEntry("ca-" + i, certs.get(i));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }
}
