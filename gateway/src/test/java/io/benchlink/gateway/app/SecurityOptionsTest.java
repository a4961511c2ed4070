package io.benchlink.gateway.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.benchlink.gateway.config.ConfigException;
import io.benchlink.gateway.config.GatewayConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The issue-7 options: limits, tokens file, TLS password sources; flags and config-file keys alike. */
class SecurityOptionsTest {
    @TempDir
    Path dir;

    private GatewayConfig config(Map<String, String> env, String... args) {
        GatewayCommand command = new GatewayCommand();
        command.environment = env::get;
        new CommandLine(command).parseArgs(args);
        return command.toConfig();
    }

    @Test
    void limitsHaveDefaultsAndComeFromFlagsOrTheConfigFile() throws Exception {
        GatewayConfig defaults = config(Map.of());
        assertThat(defaults.security().handshakeTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(defaults.security().maxStatusRate()).isEqualTo(100_000);
        Path file = dir.resolve("gateway.json");
        Files.writeString(file, "{\"handshake_timeout_seconds\": 3, \"max_status_rate\": 50,"
                + " \"tokens_file\": \"tokens.txt\"}");
        GatewayConfig fromFile = config(Map.of(), "--config", file.toString(), "--max-status-rate", "70");
        assertThat(fromFile.security().handshakeTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(fromFile.security().maxStatusRate()).isEqualTo(70);
        assertThat(fromFile.security().tokensFile()).isEqualTo(Path.of("tokens.txt"));
        assertThat(defaults.security().maxHttpBody()).isEqualTo(65536);
        assertThat(config(Map.of(), "--max-http-body", "4096").security().maxHttpBody()).isEqualTo(4096);
    }

    @Test
    void badLimitsAreConfigErrors() {
        assertThatThrownBy(() -> config(Map.of(), "--handshake-timeout", "0")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("--handshake-timeout must be positive");
        assertThatThrownBy(() -> config(Map.of(), "--max-status-rate", "0")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("--max-status-rate must be at least 1");
        assertThatThrownBy(() -> config(Map.of(), "--agent-token", "bad id:x")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("agent_id");
    }

    @Test
    void theKeystorePasswordComesFromTheEnvironmentOrAFileNeverAFlagAndIsNeverPrinted() throws Exception {
        Path keystore = dir.resolve("ks.p12");
        GatewayConfig fromEnv = config(Map.of("BENCHLINK_TLS_PASSWORD", "pw-from-env"), "--tls-keystore",
                keystore.toString());
        assertThat(new String(fromEnv.security().tls().password())).isEqualTo("pw-from-env");
        assertThat(fromEnv.toString()).contains("tls_keystore=" + keystore).doesNotContain("pw-from-env");
        GatewayConfig otherVar = config(Map.of("MY_PW", "other"), "--tls-keystore", keystore.toString(),
                "--tls-password-env", "MY_PW");
        assertThat(new String(otherVar.security().tls().password())).isEqualTo("other");
        Path file = dir.resolve("pw");
        Files.writeString(file, "pw-from-file\n");
        GatewayConfig fromFile = config(Map.of(), "--tls-keystore", keystore.toString(), "--tls-password-file",
                file.toString());
        assertThat(new String(fromFile.security().tls().password())).isEqualTo("pw-from-file");
        assertThat(new CommandLine(new GatewayCommand()).getCommandSpec().findOption("--tls-password")).isNull();
    }

    @Test
    void aKeystoreWithoutAPasswordOrAPasswordWithoutAKeystoreIsAConfigError() {
        assertThatThrownBy(() -> config(Map.of(), "--tls-keystore", "ks.p12")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("BENCHLINK_TLS_PASSWORD");
        assertThatThrownBy(() -> config(Map.of(), "--tls-password-env", "X")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("need --tls-keystore");
    }

    @Test
    void allowedOriginsComeFromTheRepeatableFlagOrTheFileKeyAndAreNormalised() throws Exception {
        assertThat(config(Map.of()).security().allowedOrigins()).isEmpty();
        assertThat(config(Map.of(), "--allowed-origin", "HTTPS://Ops.Example:443", "--allowed-origin",
                "http://10.0.0.5:8001").security().allowedOrigins())
                .containsExactly("https://ops.example", "http://10.0.0.5:8001");
        Path file = dir.resolve("gateway.json");
        Files.writeString(file, "{\"allowed_origins\": [\"http://gw.example:8001\"]}");
        GatewayConfig fromFile = config(Map.of(), "--config", file.toString());
        assertThat(fromFile.security().allowedOrigins()).containsExactly("http://gw.example:8001");
        assertThat(fromFile.toString()).contains("allowed_origins=http://gw.example:8001");
    }

    @Test
    void anAllowedOriginWithAPathOrAnotherSchemeIsRefusedNamingWhereItWasWritten() throws Exception {
        assertThatThrownBy(() -> config(Map.of(), "--allowed-origin", "https://ops.example/dashboard"))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("--allowed-origin must be an origin");
        assertThatThrownBy(() -> config(Map.of(), "--allowed-origin", "ws://ops.example"))
                .hasMessageStartingWith("--allowed-origin must be an origin");
        Path file = dir.resolve("gateway.json");
        Files.writeString(file, "{\"allowed_origins\": [\"*\"]}");
        assertThatThrownBy(() -> config(Map.of(), "--config", file.toString()))
                .hasMessageStartingWith("allowed_origins in " + file + " must be an origin");
    }
}
