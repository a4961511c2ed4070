package io.benchlink.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.benchlink.gateway.config.GatewayConfig;
import io.benchlink.gateway.config.SecurityConfig;
import io.benchlink.gateway.testing.GatewayFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bearer header (PROTOCOL.md §2, §4), token counts, and a tokens-file reload that swaps both kinds. */
class BearerAndReloadTest {
    @TempDir
    Path dir;

    @Test
    void theBearerSchemeIsMatchedCaseInsensitivelyAndItsTokenTrimmed() {
        assertThat(TokenCheck.bearer("Bearer abc")).isEqualTo("abc");
        assertThat(TokenCheck.bearer("bearer  abc ")).isEqualTo("abc");
        assertThat(TokenCheck.bearer("BEARER abc")).isEqualTo("abc");
    }

    @Test
    void anotherSchemeOrAnEmptyTokenIsNoToken() {
        assertThat(TokenCheck.bearer(null)).isNull();
        assertThat(TokenCheck.bearer("Basic YTpi")).isNull();
        assertThat(TokenCheck.bearer("Bearer")).isNull();
        assertThat(TokenCheck.bearer("Bearer    ")).isNull();
        assertThat(TokenCheck.bearer("Bearerabc")).isNull();
    }

    @Test
    void theCountOfTokensIsReportedNeverTheTokens() {
        TokenCheck check = new TokenCheck(List.of("a", "b"));
        assertThat(check.size()).isEqualTo(2);
        assertThat(check.required()).isTrue();
        assertThat(new TokenCheck(List.of()).size()).isZero();
    }

    @Test
    void withoutAnOriginHeaderAnUpgradeIsNeverRefusedForItsOrigin() {
        assertThat(new BrowserOrigins(List.of()).allowsUpgrade(null, null, -1)).isTrue();
        assertThat(new BrowserOrigins(List.of()).allowsUpgrade("null", "127.0.0.1:8000", 8001)).isFalse();
    }

    @Test
    void aReloadSwapsTheTokensOfBothKinds() throws Exception {
        Path file = dir.resolve("tokens.txt");
        Files.writeString(file, "agent agent-1\nsubscriber sub-1\n");
        GatewayConfig config = GatewayFixture.defaults(dir)
                .withSecurity(new SecurityConfig(Duration.ofSeconds(5), 1000, file, null));
        Credentials credentials = Credentials.load(config);
        Files.writeString(file, "agent agent-2\nsubscriber sub-2\n");

        assertThat(credentials.reload()).isTrue();
        assertThat(credentials.agents().accepts("agent-2")).isTrue();
        assertThat(credentials.agents().accepts("agent-1")).isFalse();
        assertThat(credentials.subscribers().accepts("sub-2")).isTrue();
        assertThat(credentials.subscribers().accepts("sub-1")).isFalse();
    }

    @Test
    void withoutATokensFileThereIsNothingToReload() throws Exception {
        assertThat(Credentials.load(GatewayFixture.defaults(dir)).reload()).isFalse();
    }

    @Test
    void aTokensFileThatCannotBeReadIsNotReloaded() throws Exception {
        Path file = dir.resolve("tokens.txt");
        Files.writeString(file, "agent agent-1\n");
        Credentials credentials = Credentials.load(GatewayFixture.defaults(dir)
                .withSecurity(new SecurityConfig(Duration.ofSeconds(5), 1000, file, null)));
        Files.delete(file);

        assertThat(credentials.reload()).isFalse();
        assertThat(credentials.agents().accepts("agent-1")).isTrue();
    }
}
