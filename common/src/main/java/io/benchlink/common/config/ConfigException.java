package io.benchlink.common.config;

/**
 * A configuration or flag value a program cannot run with. The message is the one line the user sees after
 * {@code config: } (the command-line funnel adds the prefix), then the program exits with code 2.
 */
public class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
