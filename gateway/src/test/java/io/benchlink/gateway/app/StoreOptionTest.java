package io.benchlink.gateway.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code --store} (issue 15): a PostgreSQL URL from a flag or the config file, its password never printed. */
class StoreOptionTest {
    @TempDir
    Path dir;

    private record Result(int code, String out, String err) {
    }

    private Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = GatewayMain.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return new Result(cli.execute(args), out.toString(), err.toString());
    }

    @Test
    void printsTheStoreWithItsPasswordMasked() {
        Result result = run("--store", "jdbc:postgresql://db1:5432/benchlink?user=gw&password=s3cret", "--print-config");
        assertThat(result.code()).isZero();
        assertThat(result.out()).contains("store=jdbc:postgresql://db1:5432/benchlink?user=gw&password=****")
                .doesNotContain("s3cret");
    }

    @Test
    void takesTheStoreFromTheConfigFile() throws Exception {
        Path file = dir.resolve("gateway.json");
        Files.writeString(file, "{\"store\": \"jdbc:postgresql://db1/benchlink?user=gw\"}");
        assertThat(run("--config", file.toString(), "--print-config").out())
                .contains("store=jdbc:postgresql://db1/benchlink?user=gw");
    }

    @Test
    void theEmbeddedStoreIsTheDefault() {
        assertThat(run("--print-config").out()).contains("store=embedded (data_dir)");
    }

    @Test
    void refusesAStoreThatIsNotAPostgresqlUrlWithExit2AndOneLine() {
        Result result = run("--store", "mysql://db1/x?password=s3cret", "--print-config");
        assertThat(result.code()).isEqualTo(2);
        assertThat(result.err().strip()).doesNotContain("\n").contains("--store must be jdbc:postgresql://")
                .doesNotContain("s3cret");
    }
}
