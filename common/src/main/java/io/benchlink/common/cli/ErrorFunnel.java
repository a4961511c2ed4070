package io.benchlink.common.cli;

import io.benchlink.common.config.ConfigException;
import io.benchlink.common.text.OneLine;
import java.net.BindException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * The one funnel for errors at the command line of both programs (PROTOCOL.md §5). Exit 2 with one line for bad
 * usage ({@code PROGRAM: REASON (see 'PROGRAM COMMAND --help')}) or a bad configuration ({@code config: REASON});
 * exit 1 with one line for a runtime failure ({@code PROGRAM: REASON}), its stack trace only at DEBUG. Users
 * never see a stack trace or the whole usage text.
 */
public final class ErrorFunnel {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorFunnel.class);
    private static final int MAX_LINE = 400;

    private ErrorFunnel() {
    }

    /** Installs the funnel on a configured command line and returns it. */
    public static CommandLine install(CommandLine cli) {
        String program = cli.getCommandName();
        cli.setParameterExceptionHandler((e, args) -> {
            String command = e.getCommandLine().getCommandSpec().qualifiedName();
            e.getCommandLine().getErr().println(program + ": " + oneLine(e.getMessage())
                    + " (see '" + command + " --help')");
            return 2;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof ConfigException) {
                commandLine.getErr().println("config: " + oneLine(e.getMessage()));
                return 2;
            }
            LOG.debug("command failed", e);
            commandLine.getErr().println(program + ": " + oneLine(describe(e)));
            return 1;
        });
        return cli;
    }

    /** Line breaks become spaces and very long text is cut, so a message stays one readable line. */
    public static String oneLine(String text) {
        return OneLine.of(text, MAX_LINE);
    }

    private static String describe(Exception e) {
        if (e instanceof BindException) {
            return "cannot listen (" + e.getMessage() + ")";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
