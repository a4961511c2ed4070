package io.benchlink.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The checks of the gateway's settings that GatewayConfigRangesTest leaves out: addresses, ports at both edges,
 * required values, tokens, durations, the store URL and the security settings. Each refusal names the option.
 */
class GatewayConfigChecksTest {
    private static GatewayConfig with(UnaryOperator<GatewayConfig.Builder> change) {
        return change.apply(GatewayConfig.builder().dataDir(Path.of("data"))).build();
    }

    private static void refused(UnaryOperator<GatewayConfig.Builder> change, String message) {
        assertThatThrownBy(() -> with(change)).isInstanceOf(InvalidOption.class).hasMessage(message);
    }

    private static SecurityConfig security(Duration handshake, int rate, int body) {
        return new SecurityConfig(handshake, rate, null, null, body);
    }

    @Test
    void theBindAddressMustNotBeBlank() {
        refused(b -> b.bind(" "), "--bind must be a host name or address (got  )");
        refused(b -> b.bind(null), "--bind must be a host name or address (got null)");
    }

    @Test
    void theWebSocketPortIsZeroTo65535() {
        assertThat(with(b -> b.port(65535)).port()).isEqualTo(65535);
        refused(b -> b.port(65536), "--port must be 0..65535 (got 65536)");
        refused(b -> b.port(-1), "--port must be 0..65535 (got -1)");
    }

    @Test
    void theHttpPortIsZeroTo65535OrMinusOneToDisable() {
        assertThat(with(b -> b.httpPort(-1)).httpPort()).isEqualTo(-1);
        assertThat(with(b -> b.httpPort(65535)).httpPort()).isEqualTo(65535);
        refused(b -> b.httpPort(-2), "--http-port must be 0..65535, or -1 to disable (got -2)");
        refused(b -> b.httpPort(65536), "--http-port must be 0..65535, or -1 to disable (got 65536)");
    }

    @Test
    void theDataDirectoryAndTheZoneAreRequired() {
        refused(b -> b.dataDir(null), "--data-dir is required (got null)");
        refused(b -> b.zone(null), "--zone is required (got null)");
    }

    @Test
    void anEmptyTokenIsRefusedWithoutQuotingAnything() {
        refused(b -> b.agentTokens(List.of(" ")), "--agent-token must not be empty (got )");
        refused(b -> b.subscriberTokens(List.of("")), "--subscriber-token must not be empty (got )");
        assertThat(with(b -> b.agentTokens(List.of("rig-1:tok", "open")).subscriberTokens(List.of("s")))
                .agentTokens()).containsExactly("rig-1:tok", "open");
    }

    @Test
    void theGracePingAndIdleDurationsMustBePositiveAndIdleLongerThanPing() {
        refused(b -> b.offlineGrace(Duration.ZERO), "--offline-grace must be positive (got PT0S)");
        refused(b -> b.pingInterval(Duration.ZERO), "--ping-interval must be positive (got PT0S)");
        refused(b -> b.idleTimeout(Duration.ofSeconds(-1)), "--idle-timeout must be positive (got PT-1S)");
        refused(b -> b.pingInterval(Duration.ofSeconds(60)).idleTimeout(Duration.ofSeconds(60)),
                "--idle-timeout must be longer than --ping-interval (got 60s)");
        assertThat(with(b -> b.pingInterval(Duration.ofSeconds(59)).idleTimeout(Duration.ofSeconds(60)))
                .idleTimeout()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void theSubscriberBufferIsAtLeastOne() {
        assertThat(with(b -> b.subscriberBuffer(1)).subscriberBuffer()).isEqualTo(1);
        refused(b -> b.subscriberBuffer(0), "--subscriber-buffer must be at least 1 (got 0)");
    }

    @Test
    void securitySettingsAreRequired() {
        refused(b -> b.security(null), "security settings are required (got null)");
    }

    @Test
    void anAgentTokenBoundToAnInvalidAgentIdIsAConfigError() {
        assertThatThrownBy(() -> with(b -> b.agentTokens(List.of("bad id:tok")))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("the part before ':' must be an agent_id").hasMessageNotContaining("tok\"");
    }

    @Test
    void theStoreIsEitherEmbeddedOrAPostgresqlUrl() {
        assertThat(with(b -> b.store(null)).store()).isNull();
        assertThat(with(b -> b.store("jdbc:postgresql://db:5432/benchlink?user=gw")).store())
                .isEqualTo("jdbc:postgresql://db:5432/benchlink?user=gw");
        assertThatThrownBy(() -> with(b -> b.store("jdbc:mysql://db/benchlink"))).isInstanceOf(InvalidOption.class)
                .hasMessageStartingWith("--store must be jdbc:postgresql://HOST:PORT/DB?user=U");
    }

    @Test
    void theHandshakeTimeoutMustBePositive() {
        assertThatThrownBy(() -> security(Duration.ZERO, 1, 1024)).hasMessage(
                "--handshake-timeout must be positive (got PT0S)");
        assertThatThrownBy(() -> security(Duration.ofSeconds(-1), 1, 1024)).isInstanceOf(InvalidOption.class);
        assertThatThrownBy(() -> security(null, 1, 1024)).isInstanceOf(InvalidOption.class);
        assertThat(security(Duration.ofNanos(1), 1, 1024).handshakeTimeout()).isEqualTo(Duration.ofNanos(1));
    }

    @Test
    void theStatusRateIsAtLeastOne() {
        assertThat(security(Duration.ofSeconds(1), 1, 1024).maxStatusRate()).isEqualTo(1);
        assertThatThrownBy(() -> security(Duration.ofSeconds(1), 0, 1024))
                .hasMessage("--max-status-rate must be at least 1 (got 0)");
    }

    @Test
    void theHttpBodyLimitIs1024To16MiB() {
        assertThat(security(Duration.ofSeconds(1), 1, 1024).maxHttpBody()).isEqualTo(1024);
        assertThat(security(Duration.ofSeconds(1), 1, 16 * 1024 * 1024).maxHttpBody()).isEqualTo(16 * 1024 * 1024);
        assertThatThrownBy(() -> security(Duration.ofSeconds(1), 1, 1023))
                .hasMessage("--max-http-body must be 1024..16777216 (got 1023)");
        assertThatThrownBy(() -> security(Duration.ofSeconds(1), 1, 16 * 1024 * 1024 + 1))
                .isInstanceOf(InvalidOption.class);
    }

    @Test
    void thePrintedSecuritySettingsNameEverythingButSecrets() {
        assertThat(SecurityConfig.defaults().toString()).isEqualTo("handshake_timeout=10s\nmax_status_rate=100000"
                + "\ntokens_file=(none)\ntls_keystore=(none)\nmax_http_body=65536\nallowed_origins=(same origin only)");
        SecurityConfig listed = new SecurityConfig(Duration.ofSeconds(3), 5, Path.of("tokens.txt"), null, 2048,
                List.of("https://a.example", "http://b.example:8080"));
        assertThat(listed.toString()).contains("handshake_timeout=3s", "tokens_file=tokens.txt",
                "allowed_origins=https://a.example, http://b.example:8080");
    }

    @Test
    void anAgentTokenEntryIsOptionallyBoundByTheTextBeforeItsFirstColon() {
        assertThat(AgentTokenSyntax.agentId("rig-1:s:e:cret")).isEqualTo("rig-1");
        assertThat(AgentTokenSyntax.token("rig-1:s:e:cret")).isEqualTo("s:e:cret");
        assertThat(AgentTokenSyntax.agentId("secret")).isNull();
        assertThat(AgentTokenSyntax.token("secret")).isEqualTo("secret");
        assertThat(AgentTokenSyntax.agentId(":secret")).isEmpty();
        assertThat(AgentTokenSyntax.token(":secret")).isEqualTo("secret");
        assertThatThrownBy(() -> AgentTokenSyntax.check(":secret")).isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> AgentTokenSyntax.check("rig-1: ")).hasMessage(
                "--agent-token: the token must not be empty");
    }

    @Test
    void originsDropTheirSchemesDefaultPortOnly() {
        assertThat(Origins.parse("http://Host.Example:80")).isEqualTo("http://host.example");
        assertThat(Origins.parse("https://host.example:443")).isEqualTo("https://host.example");
        assertThat(Origins.parse("http://host.example:443")).isEqualTo("http://host.example:443");
        assertThat(Origins.parse("https://host.example:80")).isEqualTo("https://host.example:80");
    }
}
