package io.benchlink.gateway.agents;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class StatusRateTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final StatusRate rate = new StatusRate(10, now::get);

    private int taken(String agentId, int tries) {
        int ok = 0;
        for (int i = 0; i < tries; i++) {
            ok += rate.tryTake(agentId) ? 1 : 0;
        }
        return ok;
    }

    @Test
    void allowsOneSecondsWorthAtOnceThenRefillsAtTheRate() {
        assertThat(taken("rig-1", 15)).isEqualTo(10);
        now.addAndGet(500_000_000L);
        assertThat(taken("rig-1", 15)).isEqualTo(5);
        now.addAndGet(10_000_000_000L);
        assertThat(taken("rig-1", 15)).isEqualTo(10); // never more than the bucket holds
    }

    @Test
    void eachAgentIdHasItsOwnBucket() {
        assertThat(taken("rig-1", 10)).isEqualTo(10);
        assertThat(taken("rig-2", 10)).isEqualTo(10);
        assertThat(rate.tryTake("rig-1")).isFalse();
    }
}
