package io.benchlink.gateway.agents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.benchlink.gateway.testing.CapturedLogs;
import io.benchlink.gateway.testing.GatewayFixture;
import io.benchlink.gateway.testing.TestAgent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Issue 19: a refused agent token is logged with the agent_id the hello claimed, next to the peer address. */
@Timeout(60)
class RefusedTokenLogIT {
    private static final String TOKEN = "RightTok-12345";
    private static final String WRONG = "WrongTok-67890";

    @TempDir
    Path dir;
    GatewayFixture gateway;

    @AfterEach
    void stop() {
        gateway.close();
    }

    @Test
    void aRefusedTokenIsLoggedWithTheClaimedAgentIdAndThePeerButNeverTheToken() throws Exception {
        gateway = new GatewayFixture(dir, c -> c.toBuilder().agentTokens(List.of(TOKEN)).build());
        try (CapturedLogs logs = new CapturedLogs()) {
            gateway.start();
            TestAgent agent = new TestAgent(gateway.uri("/ws/agents"));
            assertThat(agent.connectBlocking(5, TimeUnit.SECONDS)).isTrue();

            agent.send("{\"type\":\"hello\",\"agent_id\":\"rig-42\",\"token\":\"" + WRONG + "\",\"devices\":[]}");

            assertThat(agent.awaitCloseCode()).isEqualTo(4401);
            await().atMost(Duration.ofSeconds(5)).until(() -> refusals(logs).size() == 1);
            assertThat(refusals(logs).get(0))
                    .contains("claims agent_id rig-42", "/127.0.0.1:", "missing or wrong token");
            assertThat(logs.lines()).noneMatch(line -> line.contains(WRONG) || line.contains(TOKEN));
        }
    }

    private static List<String> refusals(CapturedLogs logs) {
        return logs.lines().stream().filter(line -> line.contains("AgentEndpoint") && line.contains("refused"))
                .toList();
    }
}
