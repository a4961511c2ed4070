package io.benchlink.agent.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import io.benchlink.agent.source.Connection;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class SimulatedConnectorTest {

    @Test
    void describesItselfByFormat() {
        SimulatedConnector connector = new SimulatedConnector(new SimulationSettings("jsonl", 1, 0, 0, 1, 0));
        assertThat(connector.describe()).isEqualTo("sim:jsonl");
        assertThat(connector.kind()).isEqualTo("sim");
    }

    @Test
    void readsTheDueLinesAndThenNothingUntilTheNextIsDue() throws IOException {
        SimulatedConnector connector = new SimulatedConnector(new SimulationSettings("kv", 10_000, 0, 0, 1, 2));
        StringBuilder text = new StringBuilder();
        byte[] buffer = new byte[8192];
        try (Connection connection = connector.open()) {
            connection.write("ignored\r\n".getBytes(StandardCharsets.US_ASCII));
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (text.toString().split("\r\n").length < 10 && System.nanoTime() < deadline) {
                int n = connection.read(buffer);
                assertThat(n).isNotNegative();
                text.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
            }
            assertThat(text.toString().split("\r\n")).hasSize(10);
            assertThat(text.toString()).startsWith("TEST=START\r\n").endsWith("\r\n");
        }
        try (Connection again = connector.open()) {
            // the same tester continues: its two tests are done, so nothing more comes
            assertThat(again.read(buffer)).isZero();
        }
    }

    @Test
    void aSmallBufferNeverSplitsALine() throws IOException {
        SimulatedConnector connector = new SimulatedConnector(new SimulationSettings("kv", 10_000, 0, 0, 1, 50));
        byte[] buffer = new byte[1024 + 40];
        try (Connection connection = connector.open()) {
            int n;
            do {
                n = connection.read(buffer);
            } while (n == 0);
            String text = new String(buffer, 0, n, StandardCharsets.UTF_8);
            assertThat(text).endsWith("\r\n");
            assertThat(n).isLessThanOrEqualTo(buffer.length);
        }
    }
}
