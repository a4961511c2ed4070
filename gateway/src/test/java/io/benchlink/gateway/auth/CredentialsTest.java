package io.benchlink.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.benchlink.gateway.config.GatewayConfig;
import io.benchlink.gateway.config.SecurityConfig;
import io.benchlink.gateway.testing.CapturedLogs;
import io.benchlink.gateway.testing.GatewayFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 14.6: a tokens-file reload never opens the gateway by leaving a kind of token empty. */
class CredentialsTest {
    @TempDir
    Path dir;

    private Credentials load(String tokens) throws Exception {
        Path file = dir.resolve("tokens.txt");
        Files.writeString(file, tokens);
        GatewayConfig config = GatewayFixture.defaults(dir)
                .withSecurity(new SecurityConfig(Duration.ofSeconds(5), 1000, file, null));
        return Credentials.load(config);
    }

    private void rewrite(String tokens) throws Exception {
        Files.writeString(dir.resolve("tokens.txt"), tokens);
    }

    @Test
    void aReloadThatWouldLeaveNoTokensKeepsTheOldOnesAndLogsAnError() throws Exception {
        Credentials credentials = load("agent agent-tok-1\nsubscriber sub-tok-1\n");
        rewrite("# emptied by mistake\n");
        try (CapturedLogs logs = new CapturedLogs()) {
            assertThat(credentials.reload()).isFalse();
            assertThat(logs.lines()).anyMatch(l -> l.contains("would leave no agent token"));
        }
        assertThat(credentials.agents().accepts("agent-tok-1")).isTrue();
        assertThat(credentials.agents().accepts(null)).isFalse();
        assertThat(credentials.subscribers().accepts("sub-tok-1")).isTrue();
        assertThat(credentials.subscribers().accepts(null)).isFalse();
    }

    @Test
    void aReloadThatWouldLeaveOnlyOneKindEmptyIsRefusedWhole() throws Exception {
        Credentials credentials = load("agent agent-tok-1\nsubscriber sub-tok-1\n");
        rewrite("agent agent-tok-2\n");
        assertThat(credentials.reload()).isFalse();
        assertThat(credentials.agents().accepts("agent-tok-1")).isTrue();
        assertThat(credentials.agents().accepts("agent-tok-2")).isFalse();
        assertThat(credentials.subscribers().accepts(null)).isFalse();
    }

    @Test
    void aKindThatHadNoTokensMayStayWithout() throws Exception {
        Credentials credentials = load("agent agent-tok-1\n");
        rewrite("agent agent-tok-2\n");
        assertThat(credentials.reload()).isTrue();
        assertThat(credentials.agents().accepts("agent-tok-2")).isTrue();
        assertThat(credentials.subscribers().accepts(null)).isTrue();
    }
}
