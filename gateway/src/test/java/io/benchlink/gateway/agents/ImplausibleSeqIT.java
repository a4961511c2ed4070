package io.benchlink.gateway.agents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.benchlink.common.protocol.ErrorFrame;
import io.benchlink.common.status.StatusKind;
import io.benchlink.gateway.store.StoreWriter;
import io.benchlink.gateway.testing.GatewayFixture;
import io.benchlink.gateway.testing.HttpApi;
import io.benchlink.gateway.testing.TestAgent;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14.2: one status with an absurd agent seq (2^62) used to raise the agent's mark so that every later real
 * status was acknowledged and never stored. Now it is refused with an error frame naming its seq, the link stays
 * open, and the next real status is stored.
 */
@Timeout(60)
class ImplausibleSeqIT {
    @TempDir
    Path dir;
    private GatewayFixture gateway;

    @BeforeEach
    void start() throws Exception {
        gateway = new GatewayFixture(dir).withHttp().start();
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    @Test
    void aSeqFarAboveTheMarkIsRefusedAndLaterStatusesAreStillStored() throws Exception {
        TestAgent agent = TestAgent.hello(gateway.uri("/ws/agents"), "rig-1", null, List.of("bench-1"));
        agent.sendStatus(4, TestAgent.result("bench-1", StatusKind.SUCCESS, "four"));
        await().until(() -> agent.acked().contains(4L));

        long absurd = 1L << 62;
        long tooFar = 4 + StoreWriter.MAX_SEQ_JUMP + 1;
        agent.sendStatus(absurd, TestAgent.result("bench-1", StatusKind.SUCCESS, "absurd"));
        agent.sendStatus(tooFar, TestAgent.result("bench-1", StatusKind.SUCCESS, "too far"));
        agent.sendStatus(5, TestAgent.result("bench-1", StatusKind.SUCCESS, "five"));
        await().until(() -> agent.acked().contains(5L) && agent.errorFrames().size() == 2);

        assertThat(agent.errorFrames()).extracting(ErrorFrame::seq).containsExactly(absurd, tooFar);
        assertThat(agent.errorFrames()).extracting(ErrorFrame::deviceId).containsOnly("bench-1");
        assertThat(agent.errorFrames().get(1).message()).contains(Long.toString(StoreWriter.MAX_SEQ_JUMP));
        assertThat(agent.acked()).containsExactlyInAnyOrder(4L, 5L);
        assertThat(agent.closedYet()).as("the link stays open").isFalse();
        assertThat(HttpApi.array(new HttpApi(gateway).get("/api/events")))
                .extracting(o -> o.get("result").getAsString()).containsExactly("four", "five");
        agent.close();

        TestAgent again = TestAgent.hello(gateway.uri("/ws/agents"), "rig-1", null, List.of("bench-1"));
        assertThat(again.lastSeq()).isEqualTo(5);
        again.close();
    }
}
