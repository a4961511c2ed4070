package io.benchlink.agent.uplink;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

class BackoffTest {
    @Test
    void capDoublesPerFailureUpToTheMaximum() {
        Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), cap -> cap);
        long[] delays = new long[9];
        for (int i = 0; i < delays.length; i++) {
            delays[i] = backoff.nextDelayMillis();
        }
        assertThat(delays).containsExactly(500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000);
    }

    @Test
    void resetStartsAgainFromTheMinimum() {
        Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), cap -> cap);
        backoff.nextDelayMillis();
        backoff.nextDelayMillis();
        backoff.reset();
        assertThat(backoff.nextDelayMillis()).isEqualTo(500);
    }

    @Test
    void fullJitterStaysWithinZeroAndTheCap() {
        Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30),
                cap -> ThreadLocalRandom.current().nextLong(cap + 1));
        for (int i = 0; i < 200; i++) {
            long cap = backoff.nextCapMillis();
            assertThat(backoff.nextDelayMillis()).isBetween(0L, cap);
        }
    }

    @Test
    void aJitterOutsideTheCapIsClamped() {
        Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), cap -> cap * 10);
        assertThat(backoff.nextDelayMillis()).isEqualTo(500);
    }
}
