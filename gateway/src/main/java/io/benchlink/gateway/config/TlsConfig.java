package io.benchlink.gateway.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A PKCS12 keystore holding the gateway's key and certificate chain, and its password. The password comes from an
 * environment variable or a file, never from a flag (flags show up in {@code ps}); it is resolved once at start-up.
 */
public record TlsConfig(Path keystore, char[] password) {
    public static final String DEFAULT_PASSWORD_ENV = "BENCHLINK_TLS_PASSWORD";

    public TlsConfig {
        Objects.requireNonNull(keystore, "keystore");
        Objects.requireNonNull(password, "password");
    }

    /** The password is never part of any text. */
    @Override
    public String toString() {
        return "TlsConfig[keystore=" + keystore + "]";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TlsConfig t && t.keystore.equals(keystore)
                && java.util.Arrays.equals(t.password, password);
    }

    @Override
    public int hashCode() {
        return keystore.hashCode();
    }
}
