package io.benchlink.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OriginsTest {
    @Test
    void parsesTheFormBrowsersSendAndNothingElse() {
        assertThat(Origins.parse("https://Ops.Example:443")).isEqualTo("https://ops.example");
        assertThat(Origins.parse("http://127.0.0.1:8001")).isEqualTo("http://127.0.0.1:8001");
        assertThat(Origins.parse("null")).isNull();
        assertThat(Origins.parse("https://ops.example/")).isNull();
        assertThat(Origins.parse("https://user@ops.example")).isNull();
        assertThat(Origins.parse("file:///tmp/x.html")).isNull();
    }
}
