package io.benchlink.gateway.app;

import io.benchlink.gateway.testing.GatewayCli;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GatewayCommandTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--port 70000|--port must be 0..65535 (got 70000)",
        "--ping-interval 30 --idle-timeout 20|--idle-timeout",
        "--subscriber-buffer 0|--subscriber-buffer must be at least 1",
        "--zone Mars/Olympus|--zone is not a known time zone",
        "--offline-grace 0|--offline-grace must be positive",
    })
    void aBadValueExits2WithOneLineNamingTheOption(String args, String expected) {
        GatewayCli.Result result = GatewayCli.run((args + " --print-config").split(" "));
        assertThat(result.code()).isEqualTo(2);
        assertThat(result.err().strip()).doesNotContain("\n").startsWith("config: ").contains(expected);
    }

    @Test
    void aNonNumberIsAUsageErrorWithExit2() {
        GatewayCli.Result result = GatewayCli.run("--port", "eighty", "--print-config");
        assertThat(result.code()).isEqualTo(2);
        assertThat(result.err()).contains("--port").doesNotContain("Exception");
    }

    @Test
    void anUnknownKeyOrWrongTypeInTheConfigFileExits2() throws Exception {
        Path file = dir.resolve("gateway.json");
        Files.writeString(file, "{\"port\": 8000, \"prot\": 8001}");
        GatewayCli.Result unknown = GatewayCli.run("--config", file.toString(), "check-config");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown key \"prot\"");

        Files.writeString(file, "{\"port\": \"8000\"}");
        assertThat(GatewayCli.run("--config", file.toString(), "check-config").err())
                .contains("port in " + file + " must be an integer (got \"8000\")");

        Files.writeString(file, "{\"port\": 8000");
        assertThat(GatewayCli.run("--config", file.toString(), "check-config").code()).isEqualTo(2);
    }

    @Test
    void flagsWinOverTheFileAndPrintConfigMasksTokens() throws Exception {
        Path file = dir.resolve("gateway.json");
        Files.writeString(file, "{\"port\": 9000, \"http_port\": 9001, \"subscriber_tokens\": [\"s3cret\"]}");
        GatewayCli.Result result = GatewayCli.run("--config", file.toString(), "--port", "9100", "--print-config");
        assertThat(result.code()).isZero();
        assertThat(result.out()).contains("port=9100", "http_port=9001", "subscriber_tokens=1 set (****)")
                .doesNotContain("s3cret");
    }

    @Test
    void checkConfigSaysValidAndExits0() {
        GatewayCli.Result result = GatewayCli.run("--port", "8100", "check-config");
        assertThat(result.code()).isZero();
        assertThat(result.out()).contains("configuration is valid");
    }

    @Test
    void checkConfigTakesTheConfigFileOnEitherSideOfTheCommand() throws Exception {
        Path file = dir.resolve("gateway.json");
        Files.writeString(file, "{\"port\": 9000}");
        assertThat(GatewayCli.run("check-config", "--config", file.toString()).code()).isZero();
        assertThat(GatewayCli.run("--config", file.toString(), "check-config").code()).isZero();

        Files.writeString(file, "{\"port\": 9000, \"prot\": 1}");
        GatewayCli.Result after = GatewayCli.run("check-config", "--config", file.toString());
        assertThat(after.code()).isEqualTo(2);
        assertThat(after.err()).isEqualTo(GatewayCli.run("--config", file.toString(), "check-config").err())
                .contains("unknown key \"prot\"");
    }

    @Test
    void aNonNumberPrintsOneLineAndTheHintToHelpNotTheUsage() {
        GatewayCli.Result result = GatewayCli.run("--port", "abc", "--print-config");
        assertThat(result.code()).isEqualTo(2);
        assertThat(result.err().strip()).doesNotContain("\n").startsWith("gateway: ").contains("--port", "'abc'")
                .endsWith("(see 'gateway --help')");
        assertThat(result.out()).isEmpty();

        GatewayCli.Result sub = GatewayCli.run("check-config", "--bogus");
        assertThat(sub.code()).isEqualTo(2);
        assertThat(sub.err().strip()).doesNotContain("\n").endsWith("(see 'gateway check-config --help')");
    }

    @Test
    void aBadValueInTheFileNamesTheFileKeyAndABadFlagNamesTheFlag() throws Exception {
        Path file = dir.resolve("gateway.json");
        Files.writeString(file, "{\"port\": 70000, \"commit_batch\": 0}");
        GatewayCli.Result fromFile = GatewayCli.run("--config", file.toString(), "--commit-batch", "10", "check-config");
        assertThat(fromFile.code()).isEqualTo(2);
        assertThat(fromFile.err().strip()).isEqualTo("config: port in " + file + " must be 0..65535 (got 70000)");

        GatewayCli.Result fromFlag = GatewayCli.run("--config", file.toString(), "--port", "8000", "check-config");
        assertThat(fromFlag.err().strip())
                .isEqualTo("config: commit_batch in " + file + " must be 1..100000 (got 0)");

        Files.writeString(file, "{\"zone\": \"Mars/Olympus\"}");
        assertThat(GatewayCli.run("--config", file.toString(), "check-config").err().strip())
                .isEqualTo("config: zone in " + file + " is not a known time zone (got Mars/Olympus)");

        Files.writeString(file, "{\"port\": 70000}");
        GatewayCli.Result flagOverFile = GatewayCli.run("--config", file.toString(), "--port", "80000", "check-config");
        assertThat(flagOverFile.err().strip()).isEqualTo("config: --port must be 0..65535 (got 80000)");
    }

    @Test
    void checkConfigRefusesTheSamePortForWebSocketAndHttp() throws Exception {
        Path file = dir.resolve("gateway.json");
        Files.writeString(file, "{\"port\": 8001, \"http_port\": 8001}");
        GatewayCli.Result result = GatewayCli.run("check-config", "--config", file.toString());
        assertThat(result.code()).isEqualTo(2);
        assertThat(result.err().strip())
                .isEqualTo("config: http_port in " + file + " must differ from the WebSocket port (got 8001)");
        assertThat(GatewayCli.run("--port", "8001", "check-config").err()).contains("--http-port must differ");
        assertThat(GatewayCli.run("--port", "0", "--http-port", "0", "check-config").code()).isZero();
    }
}
