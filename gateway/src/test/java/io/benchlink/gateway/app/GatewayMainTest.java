package io.benchlink.gateway.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.benchlink.gateway.config.ConfigException;
import io.benchlink.gateway.store.StoreUnusableException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The entry point's exit codes (PROTOCOL.md §5): 2 with one line for bad usage, a bad configuration or a damaged
 * store, 1 with one line for any other failure, as {@link GatewayMain#run} returns them to {@code main}'s
 * {@code System.exit} (which a test cannot call).
 */
class GatewayMainTest {

    /** Exit code and what went to the process's stderr. */
    private record Run(int code, String err) {
    }

    private static Run run(String... args) {
        PrintStream original = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            return new Run(GatewayMain.run(args), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(original);
        }
    }

    @Test
    void aValueOutOfRangeExits2WithOneConfigLine() {
        Run result = run("--port", "70000", "--print-config");

        assertThat(result.code()).isEqualTo(2);
        assertThat(result.err()).isEqualTo("config: --port must be 0..65535 (got 70000)" + System.lineSeparator());
    }

    @Test
    void anUnknownOptionExits2WithOneUsageLine() {
        Run result = run("--prot", "8000");

        assertThat(result.code()).isEqualTo(2);
        assertThat(result.err().strip()).startsWith("gateway: Unknown option").endsWith("(see 'gateway --help')")
                .doesNotContain("\n");
    }

    @Test
    void printConfigExits0() {
        assertThat(run("--port", "8100", "--print-config").code()).isZero();
    }

    private record Handled(int code, String err) {
    }

    private static Handled handle(Exception e) throws Exception {
        CommandLine cli = GatewayMain.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err, true));
        int code = cli.getExecutionExceptionHandler().handleExecutionException(e, cli, null);
        return new Handled(code, err.toString());
    }

    @Test
    void aDamagedStoreExits2WithOneStoreLine() throws Exception {
        Handled handled = handle(new StoreUnusableException("benchlink.db is damaged\n(line two)", null));

        assertThat(handled.code()).isEqualTo(2);
        assertThat(handled.err()).isEqualTo("store: benchlink.db is damaged (line two)" + System.lineSeparator());
    }

    @Test
    void otherFailuresGoThroughTheSharedFunnel() throws Exception {
        assertThat(handle(new ConfigException("--port is bad"))).isEqualTo(new Handled(2,
                "config: --port is bad" + System.lineSeparator()));
        assertThat(handle(new IllegalStateException("listener did not start"))).isEqualTo(new Handled(1,
                "gateway: listener did not start" + System.lineSeparator()));
    }
}
