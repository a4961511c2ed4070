package io.benchlink.agent.cli;

import io.benchlink.agent.config.ConfigException;
import io.benchlink.common.ops.LogSetup;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The agent's command line (CONTRACT §5): {@code run}, {@code ports}, {@code simulate}, {@code check-config}.
 * This class is the one error funnel of the CLI: exit 0 ok, 2 bad usage or config (one line), 1 runtime failure
 * (one line; the stack trace only at DEBUG).
 */
@Command(name = "agent", mixinStandardHelpOptions = true, versionProvider = AgentMain.Version.class,
        description = "Benchlink agent: reads testers over serial, USB and TCP and reports to the gateway.",
        subcommands = {RunCommand.class, PortsCommand.class, SimulateCommand.class, CheckConfigCommand.class,
            CommandLine.HelpCommand.class})
public final class AgentMain implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(AgentMain.class);

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        LogSetup.fileFromEnvironment("agent"); // a service logs to a rolling file (BENCHLINK_LOG_DIR)
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs one command line with the given output streams and returns the exit code (used by tests in-process). */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new AgentMain());
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler((e, a) -> {
            err.println("error: " + oneLine(e.getMessage()) + " (see --help)");
            return 2;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof ConfigException) {
                err.println(oneLine(e.getMessage()));
                return 2;
            }
            LOG.debug("command failed", e);
            err.println("error: " + oneLine(String.valueOf(e.getMessage())));
            return 1;
        });
        return cli.execute(args);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "a command is required: run, ports, simulate or check-config");
    }

    static String oneLine(String text) {
        String line = text == null ? "" : text.replaceAll("[\\r\\n]+", " ");
        return line.length() > 400 ? line.substring(0, 400) + "..." : line;
    }

    /** Reads the version Maven wrote into agent-version.properties. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties properties = new Properties();
            try (InputStream in = AgentMain.class.getResourceAsStream("/agent-version.properties")) {
                if (in != null) {
                    properties.load(in);
                }
            }
            return new String[] {"benchlink-agent " + properties.getProperty("version", "unknown")};
        }
    }
}
