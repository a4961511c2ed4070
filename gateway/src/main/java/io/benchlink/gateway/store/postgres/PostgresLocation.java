package io.benchlink.gateway.store.postgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Where a PostgreSQL store lives: the JDBC URL of {@code --store} and the password, which may come from the URL
 * (visible in the process list, so start-up warns), from {@code BENCHLINK_STORE_PASSWORD}, or from the file named
 * by {@code BENCHLINK_STORE_PASSWORD_FILE} (the systemd credentials way); none of them means the server's
 * {@code trust}/{@code peer} rules or the driver's own {@code .pgpass} decide.
 *
 * @param url      {@code jdbc:postgresql://HOST[:PORT]/DB[?user=U...]}, as given
 * @param password the password from the environment or its file, or null
 */
public record PostgresLocation(String url, String password) {
    public static final String PASSWORD_ENV = "BENCHLINK_STORE_PASSWORD";
    public static final String PASSWORD_FILE_ENV = "BENCHLINK_STORE_PASSWORD_FILE";
    private static final Pattern URL = Pattern.compile("jdbc:postgresql://[^/?#\\s]+/[^/?#\\s]+(\\?\\S*)?");
    private static final Pattern PASSWORD_PARAM = Pattern.compile("[?&]password=");

    public PostgresLocation {
        if (url == null || !URL.matcher(url).matches()) {
            throw new IllegalArgumentException("--store must be jdbc:postgresql://HOST:PORT/DB?user=U (got "
                    + redact(url) + ")");
        }
    }

    /** True for a {@code --store} value that names PostgreSQL (the only kind besides the embedded store). */
    public static boolean names(String store) {
        return store != null && store.startsWith("jdbc:postgresql:");
    }

    /** The location for {@code url}, with the password from the environment when one is set there. */
    public static PostgresLocation of(String url, Map<String, String> environment) {
        String password = environment.get(PASSWORD_ENV);
        String file = environment.get(PASSWORD_FILE_ENV);
        if ((password == null || password.isEmpty()) && file != null && !file.isBlank()) {
            try {
                password = Files.readString(Path.of(file)).strip();
            } catch (IOException e) {
                throw new IllegalArgumentException(PASSWORD_FILE_ENV + " names a file that cannot be read (" + file
                        + ": " + e.getMessage() + ")");
            }
        }
        return new PostgresLocation(url, password == null || password.isEmpty() ? null : password);
    }

    /** Whether the password is written in the URL itself (and so shows in {@code ps}). */
    public boolean passwordInUrl() {
        return PASSWORD_PARAM.matcher(url).find();
    }

    /** The URL without its password, for logs and {@code --print-config}. */
    public String redacted() {
        return redact(url);
    }

    static String redact(String url) {
        return url == null ? null : url.replaceAll("([?&]password=)[^&]*", "$1****");
    }

    @Override
    public String toString() {
        return redacted();
    }
}
