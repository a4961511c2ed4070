package io.benchlink.gateway.tls;

import io.benchlink.gateway.config.ConfigException;
import io.benchlink.gateway.config.TlsConfig;
import java.io.IOException;
import java.io.InputStream;
import java.lang.ref.WeakReference;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;
import java.time.Clock;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Builds the gateway's server {@link SSLContext} from a PKCS12 keystore (issue 7): the same context serves
 * {@code wss://} and {@code https://}. A keystore that cannot be opened, a wrong password or a keystore without a
 * private key is a configuration error (exit 2) that names the file, never the password. Issue 14.6: TLS 1.2 is the
 * oldest version offered ({@link MinimumTls}), and the keystore is re-read on SIGHUP ({@link #reload}).
 */
public final class ServerTls {
    /** The keystores of the TLS contexts in use in this JVM (one per gateway; gone with it), for {@link #reload}. */
    private static final List<WeakReference<ReloadableKeys>> LOADED = new CopyOnWriteArrayList<>();

    private ServerTls() {
    }

    public static SSLContext context(TlsConfig tls) {
        ReloadableKeys keys = new ReloadableKeys(tls, Clock.systemUTC());
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[] {keys}, null, null);
            LOADED.add(new WeakReference<>(keys));
            return MinimumTls.wrap(context);
        } catch (GeneralSecurityException e) {
            throw new ConfigException("--tls-keystore " + tls.keystore() + " cannot be used ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    /**
     * SIGHUP (issue 14.6): re-reads the keystore of every TLS context made here; new handshakes use the new
     * certificate. Returns false if any could not be used (that one keeps its certificate in force).
     */
    public static boolean reload() {
        LOADED.removeIf(ref -> ref.get() == null);
        boolean all = true;
        for (WeakReference<ReloadableKeys> ref : LOADED) {
            ReloadableKeys keys = ref.get();
            all &= keys == null || keys.reload();
        }
        return all;
    }

    /** The key manager of a keystore that must hold a private key. */
    static X509ExtendedKeyManager keyManager(KeyStore store, TlsConfig tls) {
        try {
            if (Collections.list(store.aliases()).stream().noneMatch(a -> isKey(store, a))) {
                throw new ConfigException("--tls-keystore " + tls.keystore() + " holds no private key");
            }
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, tls.password());
            for (KeyManager manager : keys.getKeyManagers()) {
                if (manager instanceof X509ExtendedKeyManager x509) {
                    return x509;
                }
            }
            throw new ConfigException("--tls-keystore " + tls.keystore() + " gives no X.509 key manager");
        } catch (UnrecoverableKeyException e) {
            throw new ConfigException("--tls-keystore " + tls.keystore() + ": the key password is wrong");
        } catch (GeneralSecurityException e) {
            throw new ConfigException("--tls-keystore " + tls.keystore() + " cannot be used ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    static KeyStore load(TlsConfig tls) {
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
