package io.benchlink.gateway.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.benchlink.gateway.auth.Credentials;
import io.benchlink.gateway.config.GatewayConfig;
import io.benchlink.gateway.config.SecurityConfig;
import io.benchlink.gateway.testing.CapturedLogs;
import io.benchlink.gateway.testing.GatewayFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StartupWarningsTest {
    @TempDir
    Path dir;

    private List<String> warnings(GatewayConfig config) {
        try (CapturedLogs logs = new CapturedLogs()) {
            StartupWarnings.log(config, Credentials.load(config));
            return logs.lines().stream().filter(l -> l.contains("StartupWarnings")).toList();
        }
    }

    private GatewayConfig on(String bind, List<String> agentTokens, boolean anonymous, Path tokensFile) {
        return GatewayFixture.defaults(dir).toBuilder().bind(bind).agentTokens(agentTokens).allowAnonymous(anonymous)
                .security(new SecurityConfig(SecurityConfig.DEFAULT_HANDSHAKE_TIMEOUT, 1000, tokensFile, null)).build();
    }

    @Test
    void warnsAboutMissingTokensOnlyBeyondLoopbackAndNotWithAllowAnonymous() {
        assertThat(warnings(on("0.0.0.0", List.of(), false, null))).hasSize(2);
        assertThat(warnings(on("127.0.0.1", List.of(), false, null))).isEmpty();
        assertThat(warnings(on("0.0.0.0", List.of(), true, null))).isEmpty();
    }

    @Test
    void countsTokensFromTheTokensFileAndWarnsThatTheyTravelInClearWithoutTls() throws Exception {
        Path file = dir.resolve("tokens");
        Files.writeString(file, "agent a-token\nsubscriber s-token\n");
        assertThat(warnings(on("0.0.0.0", List.of(), false, file))).singleElement().asString()
                .contains("clear text");
    }
}
