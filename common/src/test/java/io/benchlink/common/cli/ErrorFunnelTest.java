package io.benchlink.common.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.benchlink.common.config.ConfigException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.BindException;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

class ErrorFunnelTest {
    @Command(name = "prog", versionProvider = VersionProvider.class, mixinStandardHelpOptions = true)
    static final class Prog implements Callable<Integer> {
        @Option(names = "--port")
        int port;

        @Option(names = "--fail")
        String fail;

        @Override
        public Integer call() throws Exception {
            switch (fail == null ? "" : fail) {
                case "config" -> throw new ConfigException("port in x.json must be 0..65535 (got 70000)");
                case "bind" -> throw new BindException("Address already in use");
                case "lines" -> throw new IllegalStateException("first\nsecond");
                default -> {
                    return 0;
                }
            }
        }
    }

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new Prog());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = ErrorFunnel.install(cli).execute(args);
        return new Run(code, out.toString(), err.toString().strip());
    }

    @Test
    void aUsageErrorIsExit2WithOneLineAndTheHintToHelp() {
        Run run = run("--port", "abc");
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("prog: Invalid value for option '--port': 'abc' is not an int"
                + " (see 'prog --help')");
    }

    @Test
    void aConfigErrorIsExit2WithTheConfigPrefix() {
        Run run = run("--fail", "config");
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("config: port in x.json must be 0..65535 (got 70000)");
    }

    @Test
    void aRuntimeFailureIsExit1WithOneLineAndNoStackTrace() {
        assertThat(run("--fail", "bind")).isEqualTo(new Run(1, "", "prog: cannot listen (Address already in use)"));
        assertThat(run("--fail", "lines").err()).isEqualTo("prog: first second");
    }

    @Test
    void theVersionNamesTheProgram() {
        assertThat(run("--version").out()).startsWith("benchlink prog ");
    }
}
