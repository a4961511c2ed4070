package io.benchlink.agent.config;

/** A config or flag value the agent cannot run with; the message is the one line the user sees (exit code 2). */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
