package io.benchlink.gateway.app;

import io.benchlink.common.ops.LogSetup;
import io.benchlink.gateway.config.ConfigException;
import io.benchlink.gateway.store.StoreUnusableException;
import java.net.BindException;
import picocli.CommandLine;

/**
 * Entry point and the one funnel for errors at the command line (CONTRACT §5): exit 0 ok, 2 bad usage or
 * config with a one-line reason, 1 runtime failure with a one-line reason. Users never see a stack trace.
 */
public final class GatewayMain {
    private GatewayMain() {
    }

    public static void main(String[] args) {
        LogSetup.fileFromEnvironment("gateway"); // a service logs to a rolling file (BENCHLINK_LOG_DIR)
        System.exit(run(args));
    }

    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /** The configured command line, also used by tests to capture its output. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new GatewayCommand());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof ConfigException) {
                commandLine.getErr().println("config: " + e.getMessage());
                return 2;
            }
            if (e instanceof StoreUnusableException) { // issue 14.5: a damaged store does not heal by restarting
                commandLine.getErr().println("store: " + e.getMessage());
                return 2;
            }
            commandLine.getErr().println("gateway: " + describe(e));
            return 1;
        });
        return cli;
    }

    private static String describe(Exception e) {
        if (e instanceof BindException) {
            return "cannot listen (" + e.getMessage() + ")";
        }
        String message = e.getMessage();
        return message == null ? e.getClass().getSimpleName() : message;
    }
}
