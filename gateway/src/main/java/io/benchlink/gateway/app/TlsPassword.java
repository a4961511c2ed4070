package io.benchlink.gateway.app;

import io.benchlink.gateway.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

/** Where the keystore password comes from (issue 7): an environment variable or a file, never a flag. */
final class TlsPassword {
    private TlsPassword() {
    }

    static char[] fromEnvironment(Function<String, String> environment, String variable) {
        String value = environment.apply(variable);
        if (value == null || value.isEmpty()) {
            throw new ConfigException("--tls-keystore needs a password: set the environment variable " + variable
                    + " or use --tls-password-file");
        }
        return value.toCharArray();
    }

    /** The file's first line (a trailing newline, as editors write it, is not part of the password). */
    static char[] fromFile(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            int end = text.indexOf('\n');
            String line = end < 0 ? text : text.substring(0, end);
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            if (line.isEmpty()) {
                throw new ConfigException("--tls-password-file " + file + " is empty");
            }
            return line.toCharArray();
        } catch (IOException e) {
            throw new ConfigException("--tls-password-file cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
        }
    }
}
