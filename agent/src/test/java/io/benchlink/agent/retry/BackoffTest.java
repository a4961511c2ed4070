package io.benchlink.agent.retry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
    @Test
    void capDoublesPerFailureUpToTheMaximum() {
        Backoff backoff = Backoff.exponential(Duration.ofMillis(500), Duration.ofSeconds(30));
        long[] delays = new long[9];
        for (int i = 0; i < delays.length; i++) {
            delays[i] = backoff.nextDelayMillis();
        }
        assertThat(delays).containsExactly(500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000);
    }

    @Test
    void theCapIsReportedBeforeTheFailureIsCounted() {
        Backoff backoff = Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(1));
        assertThat(backoff.nextCapMillis()).isEqualTo(100);
        assertThat(backoff.nextCapMillis()).isEqualTo(100);
        backoff.nextDelayMillis();
        assertThat(backoff.nextCapMillis()).isEqualTo(200);
    }

    @Test
    void resetStartsAgainFromTheFirstDelay() {
        Backoff backoff = Backoff.exponential(Duration.ofMillis(500), Duration.ofSeconds(30));
        backoff.nextDelayMillis();
        backoff.nextDelayMillis();
        backoff.reset();
        assertThat(backoff.nextDelayMillis()).isEqualTo(500);
        assertThat(backoff.nextDelayMillis()).isEqualTo(1000);
    }

    @Test
    void aMaximumThatIsNotAPowerOfTwoOfTheFirstIsReachedExactly() {
        Backoff backoff = Backoff.exponential(Duration.ofMillis(100), Duration.ofMillis(1000));
        long[] delays = new long[6];
        for (int i = 0; i < delays.length; i++) {
            delays[i] = backoff.nextDelayMillis();
        }
        assertThat(delays).containsExactly(100, 200, 400, 800, 1000, 1000);
    }

    @Test
    void neverWaitsLessThanOneMillisecondNorCapsBelowTheFirstDelay() {
        Backoff zero = Backoff.exponential(Duration.ZERO, Duration.ZERO);
        assertThat(zero.nextDelayMillis()).isEqualTo(1);
        assertThat(zero.nextDelayMillis()).isEqualTo(1);
        Backoff inverted = Backoff.exponential(Duration.ofMillis(300), Duration.ofMillis(100));
        assertThat(inverted.nextDelayMillis()).isEqualTo(300);
        assertThat(inverted.nextDelayMillis()).isEqualTo(300);
    }

    @Test
    void fullJitterStaysWithinZeroAndTheCap() {
        Backoff backoff = Backoff.fullJitter(Duration.ofMillis(500), Duration.ofSeconds(30));
        boolean belowCap = false;
        for (int i = 0; i < 200; i++) {
            long cap = backoff.nextCapMillis();
            long delay = backoff.nextDelayMillis();
            assertThat(delay).isBetween(0L, cap);
            belowCap |= delay < cap;
        }
        assertThat(belowCap).as("some delay drawn below its cap").isTrue();
    }

    @Test
    void theJitterIsAskedWithTheCap() {
        long[] asked = new long[1];
        Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), cap -> {
            asked[0] = cap;
            return cap / 2;
        });
        backoff.nextDelayMillis();
        assertThat(backoff.nextDelayMillis()).isEqualTo(500);
        assertThat(asked[0]).isEqualTo(1000);
    }

    @Test
    void aJitterOutsideTheCapIsClamped() {
        assertThat(new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), cap -> cap * 10).nextDelayMillis())
                .isEqualTo(500);
        assertThat(new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), cap -> -cap).nextDelayMillis())
                .isZero();
    }
}
