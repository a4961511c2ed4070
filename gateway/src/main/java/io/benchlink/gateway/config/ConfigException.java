package io.benchlink.gateway.config;

/** A configuration value is wrong; the message is the one line the user sees before exit code 2. */
public class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
