package io.benchlink.gateway.tls;

import java.security.KeyManagementException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * Issue 14.6: TLS 1.2 is the oldest version the gateway speaks, whatever the JVM's security configuration allows
 * (a site's java.security may re-enable TLS 1.0/1.1 for old clients). Wraps a context so every engine it creates, and
 * the default parameters the JDK's HTTPS server copies onto its engines, offer TLS 1.3 and 1.2 only. Both listeners
 * take their engines from {@link SSLContext#createSSLEngine()}, so this covers wss:// and https://.
 */
final class MinimumTls extends SSLContextSpi {
    static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private final SSLContext inner;

    private MinimumTls(SSLContext inner) {
        this.inner = inner;
    }

    static SSLContext wrap(SSLContext inner) {
        return new SSLContext(new MinimumTls(inner), inner.getProvider(), inner.getProtocol()) {
        };
    }

    private static SSLEngine restrict(SSLEngine engine) {
        engine.setEnabledProtocols(allowed(engine.getEnabledProtocols()));
        return engine;
    }

    private static SSLParameters restrict(SSLParameters parameters) {
        parameters.setProtocols(allowed(parameters.getProtocols()));
        return parameters;
    }

    private static String[] allowed(String[] protocols) {
        return Arrays.stream(protocols).filter(p -> Arrays.asList(PROTOCOLS).contains(p)).toArray(String[]::new);
    }

    @Override
    protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom random) throws KeyManagementException {
        inner.init(km, tm, random);
    }

    @Override
    protected SSLSocketFactory engineGetSocketFactory() {
        return inner.getSocketFactory(); // client side: the gateway makes no TLS connections
    }

    @Override
    protected SSLServerSocketFactory engineGetServerSocketFactory() {
        throw new UnsupportedOperationException("the gateway's listeners use SSLEngine only");
    }

    @Override
    protected SSLEngine engineCreateSSLEngine() {
        return restrict(inner.createSSLEngine());
    }

    @Override
    protected SSLEngine engineCreateSSLEngine(String host, int port) {
        return restrict(inner.createSSLEngine(host, port));
    }

    @Override
    protected SSLSessionContext engineGetServerSessionContext() {
        return inner.getServerSessionContext();
    }

    @Override
    protected SSLSessionContext engineGetClientSessionContext() {
        return inner.getClientSessionContext();
    }

    @Override
    protected SSLParameters engineGetDefaultSSLParameters() {
        return restrict(inner.getDefaultSSLParameters());
    }

    @Override
    protected SSLParameters engineGetSupportedSSLParameters() {
        return restrict(inner.getSupportedSSLParameters());
    }
}
