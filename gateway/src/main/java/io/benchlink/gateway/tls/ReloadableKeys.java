package io.benchlink.gateway.tls;

import io.benchlink.gateway.config.ConfigException;
import io.benchlink.gateway.config.TlsConfig;
import java.net.Socket;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's key and certificate, re-read from the keystore file on {@link #reload} (SIGHUP, issue 14.6): the TLS
 * context stays, so connections already open keep their session and every new handshake gets the new certificate.
 * A keystore that cannot be used on reload keeps the one in force and logs why. A certificate that expires within
 * {@link #EXPIRY_WARNING} is logged as a warning at start and at every reload.
 *
 * <p>Thread-safe: handshakes read the current key manager from a volatile field; reload swaps it whole.
 */
final class ReloadableKeys extends X509ExtendedKeyManager {
    private static final Logger LOG = LoggerFactory.getLogger(ReloadableKeys.class);
    static final Duration EXPIRY_WARNING = Duration.ofDays(14);

    private final TlsConfig config;
    private final Clock clock;
    private volatile X509ExtendedKeyManager current;

    /** Loads the keystore; a bad one is a {@link ConfigException} (exit 2 at start-up). */
    ReloadableKeys(TlsConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.current = load();
    }

    /** Re-reads the keystore; false (and the certificate in force stays) when it cannot be used. */
    boolean reload() {
        try {
            current = load();
            LOG.info("TLS certificate reloaded from {}", config.keystore());
            return true;
        } catch (ConfigException e) {
            LOG.error("TLS certificate not reloaded, the one in force stays: {}", e.getMessage());
            return false;
        }
    }

    private X509ExtendedKeyManager load() {
        KeyStore store = ServerTls.load(config);
        X509ExtendedKeyManager keys = ServerTls.keyManager(store, config);
        warnIfExpiring(store);
        return keys;
    }

    private void warnIfExpiring(KeyStore store) {
        Instant now = clock.instant();
        try {
            for (String alias : Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias) && store.getCertificate(alias) instanceof X509Certificate cert) {
                    Instant expiry = cert.getNotAfter().toInstant();
                    if (expiry.isBefore(now.plus(EXPIRY_WARNING))) {
                        LOG.warn("TLS certificate '{}' in {} {} {}; renew it, then send SIGHUP", alias,
                                config.keystore(), expiry.isBefore(now) ? "expired" : "expires", expiry);
                    }
                }
            }
        } catch (KeyStoreException e) {
            LOG.warn("cannot read the expiry of the TLS certificate in {} ({})", config.keystore(), e.toString());
        }
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return current.getClientAliases(keyType, issuers);
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return current.chooseClientAlias(keyType, issuers, socket);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return current.getServerAliases(keyType, issuers);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return current.chooseServerAlias(keyType, issuers, socket);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return current.chooseEngineServerAlias(keyType, issuers, engine);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return current.getCertificateChain(alias);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return current.getPrivateKey(alias);
    }
}
