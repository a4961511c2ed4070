package io.benchlink.gateway.agents;

import static org.assertj.core.api.Assertions.assertThat;

import io.benchlink.gateway.store.StoreException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Issue 15: the synchronous questions to the cluster, against a scripted cluster and a hand-moved clock. */
class ClusterClaimsTest {
    private final AtomicLong nanos = new AtomicLong(1_000);
    private final Cluster cluster = new Cluster();
    private final ClusterClaims claims = new ClusterClaims(cluster, nanos::get);

    /** Owns what it is told, answers the rest for the claimant, and fails while {@code failing}. */
    private static final class Cluster implements AgentLinks.SharedLinks {
        final Map<String, String> owners = new HashMap<>();
        final List<String> asked = new ArrayList<>();
        boolean failing;

        @Override
        public void up(String agentId, List<String> devices) {
        }

        @Override
        public void lost(String agentId) {
        }

        @Override
        public void stopped(String agentId) {
            asked.add("stopped " + agentId);
        }

        @Override
        public Map<String, String> claim(String agentId, List<String> devices) {
            asked.add("claim " + agentId + " " + devices);
            if (failing) {
                throw new StoreException("cannot claim devices (connection refused)", null);
            }
            Map<String, String> answer = new HashMap<>();
            devices.forEach(d -> answer.put(d, owners.getOrDefault(d, agentId)));
            return answer;
        }

        @Override
        public long storedMark(String agentId) {
            asked.add("mark " + agentId);
            if (failing) {
                throw new StoreException("cannot read the agent's mark (connection refused)", null);
            }
            return 41;
        }
    }

    @Test
    void aDeviceConfirmedDuringALinkIsNotAskedAgainUntilTheAgentsNextHello() {
        cluster.owners.put("bench-2", "rig-9");
        claims.newLink("rig-1");
        assertThat(claims.claim("rig-1", List.of("bench-1", "bench-2")))
                .containsEntry("bench-1", "rig-1").containsEntry("bench-2", "rig-9");

        assertThat(claims.confirmed("rig-1", "bench-1")).isTrue();
        assertThat(claims.confirmed("rig-1", "bench-2")).as("another agent's device").isFalse();
        assertThat(claims.confirmed("rig-2", "bench-1")).isFalse();
        claims.newLink("rig-1");
        assertThat(claims.confirmed("rig-1", "bench-1")).as("a new link claims again").isFalse();
    }

    @Test
    void afterTheClusterFailsNothingIsAskedForThePauseThenItIsAskedAgain() {
        cluster.failing = true;
        assertThat(claims.claim("rig-1", List.of("bench-1"))).isNull();
        cluster.failing = false;
        nanos.addAndGet(ClusterClaims.PAUSE.toNanos() - 1);
        assertThat(claims.claim("rig-1", List.of("bench-1"))).isNull();
        assertThat(claims.storedMark("rig-1")).isNull();
        assertThat(cluster.asked).containsExactly("claim rig-1 [bench-1]");

        nanos.addAndGet(1);
        assertThat(claims.storedMark("rig-1")).isEqualTo(41);
        assertThat(claims.claim("rig-1", List.of("bench-1"))).containsEntry("bench-1", "rig-1");
        assertThat(claims.confirmed("rig-1", "bench-1")).isTrue();
    }

    @Test
    void aGoodbyeIsPassedOnAndEndsWhatTheLinkHadConfirmed() {
        claims.newLink("rig-1");
        claims.claim("rig-1", List.of("bench-1"));
        claims.stopped("rig-1");

        assertThat(claims.confirmed("rig-1", "bench-1")).isFalse();
        assertThat(cluster.asked).endsWith("stopped rig-1");
    }
}
