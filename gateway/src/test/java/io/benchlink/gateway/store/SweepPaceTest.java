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
        pace.took(100, ms(50)); // 2 events per ms on a slow disk
        assertThat(pace.chunk()).isEqualTo(20); // 10 ms' worth
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
        pace.took(100, ms(10)); // 100 µs per event
        assertThat(pace.chunk()).isEqualTo(100);
        pace.took(100, ms(6)); // 60 µs per event this time: expected now 80 µs, not 60
        assertThat(pace.chunk()).isEqualTo(125); // 10 ms at 80 µs (at 60 µs it would be 166)
        pace.took(125, ms(25)); // 200 µs: a dearer chunk is believed at once
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
    void theNextChunkIsDueOnlyAfterNineTimesTheLastOnesTimeAndNeverSoonerThanTheMinimumGap() {
        assertThat(pace.due()).isTrue();
        pace.took(500, ms(40));
        assertThat(pace.due()).isFalse();
        assertThat(pace.untilDue()).isEqualTo(ms(360));
        now.addAndGet(ms(359));
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
