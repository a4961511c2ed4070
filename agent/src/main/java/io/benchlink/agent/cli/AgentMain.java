package io.benchlink.agent.cli;

import io.benchlink.common.cli.ErrorFunnel;
import io.benchlink.common.cli.VersionProvider;
import io.benchlink.common.config.ConfigException;
import io.benchlink.common.ops.LogSetup;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The agent's command line (PROTOCOL.md §5): {@code run}, {@code ports}, {@code simulate}, {@code check-config}.
 * Errors go through the funnel both programs share ({@link ErrorFunnel}): exit 0 ok, 2 bad usage or config (one
 * line), 1 runtime failure (one line; the stack trace only at DEBUG).
 */
@Command(name = "agent", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Benchlink agent: reads testers over serial, USB and TCP and reports to the gateway.",
        subcommands = {RunCommand.class, PortsCommand.class, SimulateCommand.class, CheckConfigCommand.class,
            CommandLine.HelpCommand.class})
public final class AgentMain implements Runnable {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @CommandLine.Option(names = "--config", paramLabel = "FILE",
            description = "Agent config JSON file for run and check-config (may also follow the command).")
    private Path config;

    public static void main(String[] args) {
        LogSetup.fileFromEnvironment("agent"); // a service logs to a rolling file (BENCHLINK_LOG_DIR)
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs one command line with the given output streams and returns the exit code (used by tests in-process). */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new AgentMain());
        cli.setOut(out);
        cli.setErr(err);
        return ErrorFunnel.install(cli).execute(args);
    }

    /**
     * The config file of a command: its own {@code --config}, or the one given before the command name, so that
     * {@code agent --config FILE check-config} works as the gateway's order does.
     */
    Path config(Path own) {
        if (own != null && config != null && !own.equals(config)) {
            throw new ConfigException("--config is given twice with different files (" + config + ", " + own + ")");
        }
        return own != null ? own : config;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "a command is required: run, ports, simulate or check-config");
    }
}
