package io.benchlink.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import io.benchlink.common.json.Json;
import io.benchlink.gateway.app.GatewayMain;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** docs/examples/gateway.example.json is valid, names every option, and holds exactly the defaults. */
class ExampleConfigTest {
    private static final Path EXAMPLE = Path.of(System.getProperty("basedir", "."))
            .resolve("../docs/examples/gateway.example.json").normalize();

    private static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = GatewayMain.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new String[] {String.valueOf(code), out.toString(), err.toString()};
    }

    @Test
    void theExamplePassesCheckConfig() {
        String[] result = run("--config", EXAMPLE.toString(), "check-config");
        assertThat(result[2]).isEmpty();
        assertThat(result[0]).isEqualTo("0");
        assertThat(result[1]).contains("configuration is valid");
    }

    @Test
    void theExampleNamesEveryKeyTheReaderAccepts() throws Exception {
        JsonObject example = Json.parseObject(Files.readString(EXAMPLE, StandardCharsets.UTF_8));
        assertThat(example.keySet()).containsExactlyInAnyOrderElementsOf(ConfigFile.KEYS);
    }

    @Test
    void theExampleHoldsTheDefaults() {
        String[] withExample = run("--config", EXAMPLE.toString(), "--print-config");
        String[] withNothing = run("--print-config");
        assertThat(withExample[0]).isEqualTo("0");
        assertThat(withExample[1]).isEqualTo(withNothing[1]).contains("port=8000", "log_level=INFO");
    }
}
