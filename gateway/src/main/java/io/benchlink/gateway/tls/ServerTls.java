package io.benchlink.gateway.tls;

import io.benchlink.gateway.config.ConfigException;
import io.benchlink.gateway.config.TlsConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;
import java.util.Collections;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * Builds the gateway's server {@link SSLContext} from a PKCS12 keystore (issue 7): the same context serves
 * {@code wss://} and {@code https://}. A keystore that cannot be opened, a wrong password or a keystore without a
 * private key is a configuration error (exit 2) that names the file, never the password.
 */
public final class ServerTls {
    private ServerTls() {
    }

    public static SSLContext context(TlsConfig tls) {
        KeyStore store = load(tls);
        try {
            if (Collections.list(store.aliases()).stream().noneMatch(a -> isKey(store, a))) {
                throw new ConfigException("--tls-keystore " + tls.keystore() + " holds no private key");
            }
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, tls.password());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (UnrecoverableKeyException e) {
            throw new ConfigException("--tls-keystore " + tls.keystore() + ": the key password is wrong");
        } catch (GeneralSecurityException e) {
            throw new ConfigException("--tls-keystore " + tls.keystore() + " cannot be used ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    private static KeyStore load(TlsConfig tls) {
        try (InputStream in = Files.newInputStream(tls.keystore())) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, tls.password());
            return store;
        } catch (IOException e) {
            // PKCS12 reports a wrong password as an IOException caused by UnrecoverableKeyException.
            String why = e.getCause() instanceof UnrecoverableKeyException ? "wrong password or not a PKCS12 keystore"
                    : e.getClass().getSimpleName();
            throw new ConfigException("--tls-keystore cannot open " + tls.keystore() + " (" + why + ")");
        } catch (GeneralSecurityException e) {
            throw new ConfigException("--tls-keystore cannot open " + tls.keystore() + " ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    private static boolean isKey(KeyStore store, String alias) {
        try {
            return store.isKeyEntry(alias);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
