package io.benchlink.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.benchlink.gateway.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenCheckTest {
    @TempDir
    Path dir;

    @Test
    void aBoundAgentTokenIsAcceptedOnlyForItsOwnAgentId() {
        TokenCheck check = TokenCheck.forAgents(List.of("rig-07:s3cret:with:colons", "shared"));
        assertThat(check.accepts("s3cret:with:colons", "rig-07")).isTrue();
        assertThat(check.accepts("s3cret:with:colons", "rig-08")).isFalse();
        assertThat(check.accepts("shared", "rig-08")).isTrue();
        // Without an agent_id (HTTP POST) only unbound tokens pass.
        assertThat(check.accepts("s3cret:with:colons")).isFalse();
        assertThat(check.accepts("shared")).isTrue();
        assertThat(check.accepts(null, "rig-07")).isFalse();
    }

    @Test
    void subscriberTokensAreTakenLiterallyColonsIncluded() {
        TokenCheck check = new TokenCheck(List.of("a:b"));
        assertThat(check.accepts("a:b")).isTrue();
        assertThat(check.accepts("b")).isFalse();
    }

    @Test
    void noTokensLetsEveryoneInAndReplaceSwapsTheListAtOnce() {
        TokenCheck check = new TokenCheck(List.of());
        assertThat(check.required()).isFalse();
        assertThat(check.accepts(null)).isTrue();
        check.replace(List.of("new"));
        assertThat(check.required()).isTrue();
        assertThat(check.accepts("new")).isTrue();
        assertThat(check.accepts(null)).isFalse();
    }

    @Test
    void readsTheTokensFileWithCommentsBoundAgentsAndSubscribers() throws Exception {
        Path file = dir.resolve("tokens");
        Files.writeString(file, "\uFEFF# rigs\nagent  any-agent-token\nagent rig-07:bound-token\n\n"
                + "subscriber   1c-token\n");
        TokensFile tokens = TokensFile.read(file);
        assertThat(tokens.agentTokens()).containsExactly("any-agent-token", "rig-07:bound-token");
        assertThat(tokens.subscriberTokens()).containsExactly("1c-token");
        assertThat(tokens.toString()).doesNotContain("token-").contains("2 agent, 1 subscriber");
    }

    @Test
    void aBadTokensFileLineNamesTheLineButNeverItsSecret() throws Exception {
        Path file = dir.resolve("tokens");
        Files.writeString(file, "agent ok\nsubscribr hunter2-secret\n");
        assertThatThrownBy(() -> TokensFile.read(file)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("line 2").hasMessageNotContaining("hunter2");
        Files.writeString(file, "agent bad id:hunter2-secret\n");
        assertThatThrownBy(() -> TokensFile.read(file)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("line 1").hasMessageNotContaining("hunter2");
    }
}
