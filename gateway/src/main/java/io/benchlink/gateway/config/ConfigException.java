package io.benchlink.gateway.config;

/**
 * A configuration value is wrong; the message is the one line the user sees before exit code 2. The shared type
 * is {@link io.benchlink.common.config.ConfigException}; this subclass stays so that code outside the config
 * package (auth, tls, the composition root) keeps compiling while it moves to the shared one.
 */
public class ConfigException extends io.benchlink.common.config.ConfigException {
    public ConfigException(String message) {
        super(message);
    }
}
