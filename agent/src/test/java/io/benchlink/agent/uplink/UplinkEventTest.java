package io.benchlink.agent.uplink;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UplinkEventTest {
    @Test
    void aLinkThatNeverOpenedSaysSoInsteadOfMinusOne() {
        assertThat(new UplinkEvent.Closed(1, -1, "").describe())
                .isEqualTo("could not open the WebSocket (refused, unreachable, TLS or handshake failure)");
        assertThat(new UplinkEvent.Closed(1, -1, "Connection refused").describe())
                .endsWith("handshake failure): Connection refused");
    }

    @Test
    void aDroppedConnectionIsNamedAndAGatewayCloseKeepsItsCodeAndReason() {
        assertThat(new UplinkEvent.Closed(1, 1006, null).describe()).isEqualTo("link lost without a close frame");
        assertThat(new UplinkEvent.Closed(1, 1001, "gateway shutting down ").describe())
                .isEqualTo("link closed by code 1001: gateway shutting down");
    }
}
