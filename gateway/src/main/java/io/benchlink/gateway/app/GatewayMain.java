package io.benchlink.gateway.app;

import io.benchlink.common.cli.ErrorFunnel;
import io.benchlink.common.ops.LogSetup;
import io.benchlink.gateway.store.StoreUnusableException;
import picocli.CommandLine;

/**
 * Entry point (PROTOCOL.md §5). Errors go through the funnel both programs share ({@link ErrorFunnel}): exit 0 ok,
 * 2 bad usage or config with a one-line reason, 1 runtime failure with a one-line reason.
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
        CommandLine cli = ErrorFunnel.install(new CommandLine(new GatewayCommand()));
        CommandLine.IExecutionExceptionHandler funnel = cli.getExecutionExceptionHandler();
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof StoreUnusableException) { // issue 14.5: a damaged store does not heal by restarting
                commandLine.getErr().println("store: " + ErrorFunnel.oneLine(e.getMessage()));
                return 2;
            }
            return funnel.handleExecutionException(e, commandLine, parseResult);
        });
        return cli;
    }
}
