package io.benchlink.agent.uplink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.benchlink.common.status.InvalidFieldException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class UplinkConfigTest {
    private static final List<URI> GATEWAYS = List.of(URI.create("ws://gw:8000"));

    @Test
    void appendsTheAgentPathToABareGatewayUrl() {
        assertThat(UplinkConfig.endpoint(URI.create("ws://gw:8000"))).isEqualTo(URI.create("ws://gw:8000/ws/agents"));
        assertThat(UplinkConfig.endpoint(URI.create("ws://gw:8000/"))).isEqualTo(URI.create("ws://gw:8000/ws/agents"));
        assertThat(UplinkConfig.endpoint(URI.create("wss://gw/ws/agents"))).isEqualTo(URI.create("wss://gw/ws/agents"));
        assertThat(UplinkConfig.endpoint(URI.create("ws://proxy/bl"))).isEqualTo(URI.create("ws://proxy/bl/ws/agents"));
    }

    @Test
    void refusesANonWebSocketGatewayUrl() {
        assertThatThrownBy(() -> UplinkConfig.defaults(List.of(URI.create("http://gw:8000")), "rig", "", List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ws://host:8000");
        assertThatThrownBy(() -> UplinkConfig.defaults(List.of(), "rig", "", List.of()))
                .hasMessageContaining("at least one gateway");
    }

    @Test
    void refusesBadIdsWindowAndBackoff() {
        assertThatThrownBy(() -> UplinkConfig.defaults(GATEWAYS, "rig 7", "", List.of()))
                .isInstanceOf(InvalidFieldException.class).hasMessageContaining("agent_id");
        assertThatThrownBy(() -> UplinkConfig.defaults(GATEWAYS, "rig", "", List.of("all")))
                .isInstanceOf(InvalidFieldException.class).hasMessageContaining("devices");
        assertThatThrownBy(() -> config(0, Duration.ofMillis(500), Duration.ofSeconds(30)))
                .hasMessageContaining("window must be 1..10000 (got 0)");
        assertThatThrownBy(() -> config(256, Duration.ofSeconds(5), Duration.ofSeconds(1)))
                .hasMessageContaining("backoff max");
    }

    @Test
    void refusesAHelloLargerThanTheGatewaysFrameLimit() {
        List<String> devices = IntStream.range(0, 1024)
                .mapToObj(i -> String.format("%064d", i)).collect(Collectors.toList()); // 1024 x 64 characters
        assertThatThrownBy(() -> UplinkConfig.defaults(GATEWAYS, "rig", "", devices))
                .hasMessageContaining("64 KiB frame limit");
        assertThat(UplinkConfig.defaults(GATEWAYS, "rig", "", devices.subList(0, 900)).deviceIds()).hasSize(900);
    }

    @Test
    void leavesTheTokenOutOfItsText() {
        assertThat(UplinkConfig.defaults(GATEWAYS, "rig", "s3cret", List.of()).toString()).doesNotContain("s3cret");
    }

    private static UplinkConfig config(int window, Duration min, Duration max) {
        return new UplinkConfig(GATEWAYS, "rig", "", List.of(), window, Duration.ofSeconds(10),
                Duration.ofSeconds(20), min, max);
    }
}
