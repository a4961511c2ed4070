package io.benchlink.gateway.app;

import io.benchlink.gateway.config.ConfigException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code gateway [options] check-config [--config FILE]}: validates the configuration without starting anything.
 * {@code --config} is accepted on either side of the command, as the agent's {@code check-config} takes it.
 */
@Command(name = "check-config", mixinStandardHelpOptions = true,
        description = "Validate the configuration (flags and --config file) and exit: 0 valid, 2 invalid.")
final class CheckConfigCommand implements Callable<Integer> {
    @ParentCommand
    GatewayCommand parent;

    @Option(names = "--config", paramLabel = "FILE", description = "JSON config file (same as before the command).")
    Path configFile;

    @Override
    public Integer call() {
        if (configFile != null) {
            if (parent.configFile != null && !parent.configFile.equals(configFile)) {
                throw new ConfigException("--config is given twice with different files (" + parent.configFile
                        + ", " + configFile + ")");
            }
            parent.configFile = configFile;
        }
        parent.toConfig();
        parent.logLevel();
        parent.spec.commandLine().getOut().println("configuration is valid");
        return 0;
    }
}
