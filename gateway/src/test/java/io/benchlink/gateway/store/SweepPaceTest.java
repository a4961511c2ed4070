package io.benchlink.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Issue 18: the retention sweep's chunks are sized by how long the last one took, and spaced out in time. */
class SweepPaceTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final SweepPace pace = new SweepPace(now::get);

    private static long ms(long millis) {
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }

    @Test
    void aChunkThatTookLongerThanTheBudgetShrinksTheNextOneToFitIt() {
        assertThat(pace.chunk()).isEqualTo(SweepPace.FIRST_CHUNK);
        pace.took(100, ms(100)); // 1 event per ms on a slow disk
        assertThat(pace.chunk()).isEqualTo(20); // 20 ms' worth
    }

    @Test
    void aFastChunkLetsTheNextOneGrowByHalfAtMost() {
        pace.took(100, ms(1));
        assertThat(pace.chunk()).isEqualTo(150);
        pace.took(150, ms(1));
        assertThat(pace.chunk()).isEqualTo(225);
    }

    @Test
    void aCheaperChunkLowersTheExpectedCostOnlyHalfwaySoOneCachedChunkCannotOversizeTheNext() {
        pace.took(100, ms(20)); // 200 µs per event
        assertThat(pace.chunk()).isEqualTo(100);
        pace.took(100, ms(12)); // 120 µs per event this time: expected now 160 µs, not 120
        assertThat(pace.chunk()).isEqualTo(125); // 20 ms at 160 µs (at 120 µs it would be 166)
        pace.took(125, ms(50)); // 400 µs: a dearer chunk is believed at once
        assertThat(pace.chunk()).isEqualTo(50);
    }

    @Test
    void theChunkStaysWithinItsBoundsWhateverTheTimingSays() {
        pace.took(100, ms(60_000));
        assertThat(pace.chunk()).isEqualTo(SweepPace.MIN_CHUNK);
        for (int i = 0; i < 80; i++) {
            pace.took(pace.chunk(), 0);
        }
        assertThat(pace.chunk()).isEqualTo(SweepPace.MAX_CHUNK);
    }

    @Test
    void theNextChunkIsDueOnlyAfterThreeTimesTheLastOnesTimeAndNeverSoonerThanTheMinimumGap() {
        assertThat(pace.due()).isTrue();
        pace.took(500, ms(40));
        assertThat(pace.due()).isFalse();
        assertThat(pace.untilDue()).isEqualTo(ms(120));
        now.addAndGet(ms(119));
        assertThat(pace.due()).isFalse();
        now.addAndGet(ms(1));
        assertThat(pace.due()).isTrue();

        pace.took(500, ms(1));
        assertThat(pace.untilDue()).isEqualTo(SweepPace.MIN_GAP_NANOS);
    }

    @Test
    void aChunkThatDeletedNothingKeepsTheSize() {
        pace.took(0, ms(30));
        assertThat(pace.chunk()).isEqualTo(SweepPace.FIRST_CHUNK);
    }
}
