package io.benchlink.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class BrowserOriginsTest {
    private static final BrowserOrigins NONE = new BrowserOrigins(List.of());
    private static final BrowserOrigins LISTED = new BrowserOrigins(List.of("https://ops.example:8443"));

    @Test
    void aRequestWithoutAnOriginHeaderAlwaysPasses() {
        assertThat(NONE.allowsPost(null, null, false)).isTrue();
        assertThat(NONE.allowsUpgrade(null, null, -1)).isTrue();
    }

    @Test
    void aPostPassesFromItsOwnHostInTheListenersSchemeOrFromAListedOrigin() {
        assertThat(NONE.allowsPost("http://gw.example:8001", "GW.example:8001", false)).isTrue();
        assertThat(NONE.allowsPost("https://gw.example", "gw.example:443", true)).isTrue();
        assertThat(NONE.allowsPost("http://gw.example:8001", "gw.example:8001", true)).isFalse();
        assertThat(NONE.allowsPost("http://[::1]:8001", "[::1]:8001", false)).isTrue();
        assertThat(NONE.allowsPost("http://gw.example:8001", null, false)).isFalse();
        assertThat(NONE.allowsPost("http://evil.example", "gw.example:8001", false)).isFalse();
        assertThat(NONE.allowsPost("null", "gw.example:8001", false)).isFalse();
        assertThat(LISTED.allowsPost("HTTPS://Ops.Example:8443", "gw.example:8001", false)).isTrue();
    }

    @Test
    void anUpgradePassesFromAPageOfTheHttpListenerOnTheSameHostOrFromAListedOrigin() {
        assertThat(NONE.allowsUpgrade("http://gw.example:8001", "gw.example:8000", 8001)).isTrue();
        assertThat(NONE.allowsUpgrade("https://gw.example:8001", "gw.example:8000", 8001)).isTrue();
        assertThat(NONE.allowsUpgrade("http://gw.example", "gw.example:8000", 80)).isTrue();
        assertThat(NONE.allowsUpgrade("http://[::1]:8001", "[::1]:8000", 8001)).isTrue();
        assertThat(NONE.allowsUpgrade("http://gw.example:8001", "gw.example:8000", -1)).isFalse();
        assertThat(NONE.allowsUpgrade("http://gw.example:8002", "gw.example:8000", 8001)).isFalse();
        assertThat(NONE.allowsUpgrade("http://evil.example:8001", "gw.example:8000", 8001)).isFalse();
        assertThat(NONE.allowsUpgrade("http://gw.example:8001", "", 8001)).isFalse();
        assertThat(LISTED.allowsUpgrade("https://ops.example:8443", "gw.example:8000", 8001)).isTrue();
    }
}
