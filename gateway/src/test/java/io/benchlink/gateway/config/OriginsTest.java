package io.benchlink.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class OriginsTest {
    private static final SecurityConfig ANY = SecurityConfig.defaults();
    private static final SecurityConfig LISTED = ANY.withAllowedOrigins(List.of("http://gw.example:8001"));

    @Test
    void parsesTheFormBrowsersSendAndNothingElse() {
        assertThat(Origins.parse("https://Ops.Example:443")).isEqualTo("https://ops.example");
        assertThat(Origins.parse("http://127.0.0.1:8001")).isEqualTo("http://127.0.0.1:8001");
        assertThat(Origins.parse("null")).isNull();
        assertThat(Origins.parse("https://ops.example/")).isNull();
        assertThat(Origins.parse("https://user@ops.example")).isNull();
        assertThat(Origins.parse("file:///tmp/x.html")).isNull();
    }

    @Test
    void withoutAListEveryOriginPassesAndWithoutAnOriginHeaderEveryRequestPasses() {
        assertThat(ANY.allowsOrigin("https://evil.example")).isTrue();
        assertThat(LISTED.allowsOrigin(null)).isTrue();
    }

    @Test
    void withAListOnlyAListedOriginPasses() {
        assertThat(LISTED.allowsOrigin("http://GW.example:8001")).isTrue();
        assertThat(LISTED.allowsOrigin("http://gw.example:8000")).isFalse();
        assertThat(LISTED.allowsOrigin("https://gw.example:8001")).isFalse();
        assertThat(LISTED.allowsOrigin("null")).isFalse();
    }
}
