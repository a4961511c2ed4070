package io.benchlink.gateway.app;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code gateway [options] check-config}: validates the configuration without starting anything. */
@Command(name = "check-config", mixinStandardHelpOptions = true,
        description = "Validate the configuration (flags and --config file) and exit: 0 valid, 2 invalid.")
final class CheckConfigCommand implements Callable<Integer> {
    @ParentCommand
    GatewayCommand parent;

    @Override
    public Integer call() {
        parent.toConfig();
        parent.logLevel();
        parent.spec.commandLine().getOut().println("configuration is valid");
        return 0;
    }
}
