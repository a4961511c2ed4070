package io.benchlink.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Each range check holds at its edge: the bound itself is accepted, one past it is refused naming the flag. */
class GatewayConfigRangesTest {
    private static GatewayConfig with(UnaryOperator<GatewayConfig.Builder> change) {
        return change.apply(GatewayConfig.builder().dataDir(Path.of("data"))).build();
    }

    private static void refused(UnaryOperator<GatewayConfig.Builder> change, String message) {
        assertThatThrownBy(() -> with(change)).isInstanceOf(InvalidOption.class).hasMessage(message);
    }

    @Test
    void theBuilderStartsFromTheCommandLineDefaults() {
        GatewayConfig config = GatewayConfig.builder().build();
        assertThat(config.port()).isEqualTo(8000);
        assertThat(config.httpPort()).isEqualTo(8001);
        assertThat(config.retention()).isEqualTo(Duration.ofDays(30));
        assertThat(config.toBuilder().build()).isEqualTo(config);
    }

    @Test
    void maxSubscribersAndMaxAgentsMustBeAtLeastOne() {
        assertThat(with(b -> b.maxSubscribers(1).maxAgents(1)).maxAgents()).isEqualTo(1);
        refused(b -> b.maxSubscribers(0), "--max-subscribers must be at least 1 (got 0)");
        refused(b -> b.maxAgents(0), "--max-agents must be at least 1 (got 0)");
    }

    @Test
    void maxFrameBytesMustBeAtLeast1024() {
        assertThat(with(b -> b.maxFrameBytes(1024)).maxFrameBytes()).isEqualTo(1024);
        refused(b -> b.maxFrameBytes(1023), "--max-frame-bytes must be at least 1024 (got 1023)");
    }

    @Test
    void retentionMustBePositive() {
        assertThat(with(b -> b.retention(Duration.ofDays(1))).retention()).isEqualTo(Duration.ofDays(1));
        refused(b -> b.retention(Duration.ZERO), "--retention-days must be positive (got PT0S)");
        refused(b -> b.retention(Duration.ofDays(-1)), "--retention-days must be positive (got PT-24H)");
    }

    @Test
    void commitBatchMustBeOneTo100000() {
        assertThat(with(b -> b.commitBatch(1)).commitBatch()).isEqualTo(1);
        assertThat(with(b -> b.commitBatch(100_000)).commitBatch()).isEqualTo(100_000);
        refused(b -> b.commitBatch(0), "--commit-batch must be 1..100000 (got 0)");
        refused(b -> b.commitBatch(100_001), "--commit-batch must be 1..100000 (got 100001)");
    }

    @Test
    void theHttpPortMustDifferFromTheWebSocketPortUnlessBothAreChosenBySystem() {
        assertThat(with(b -> b.port(0).httpPort(0)).httpPort()).isZero();
        assertThat(with(b -> b.port(9000).httpPort(-1)).httpPort()).isEqualTo(-1);
        refused(b -> b.port(9000).httpPort(9000), "--http-port must differ from the WebSocket port (got 9000)");
    }
}
