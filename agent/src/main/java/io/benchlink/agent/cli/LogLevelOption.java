package io.benchlink.agent.cli;

import io.benchlink.common.config.ConfigException;
import io.benchlink.common.ops.LogSetup;
import picocli.CommandLine.Option;

/** The {@code --log-level} option of the long-running commands, applied first thing in their {@code call()}. */
final class LogLevelOption {
    @Option(names = "--log-level", paramLabel = "LEVEL", description = "error, warn, info, debug or trace (default info).")
    private String level;

    /** Sets the root log level if the option was given; a bad name is a config error (exit 2). */
    void apply() {
        if (level == null) {
            return;
        }
        String normalized = LogSetup.normalizeLevel(level);
        if (normalized == null) {
            throw new ConfigException("--log-level must be error, warn, info, debug or trace (got " + level
                    + ")");
        }
        LogSetup.rootLevel(normalized);
    }
}
