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
        pace.took(500, ms(100)); // 5 events per ms on a slow disk
        assertThat(pace.chunk()).isEqualTo(100); // 20 ms' worth
    }

    @Test
    void aFastChunkLetsTheNextOneGrowAtMostTwofold() {
        pace.took(500, ms(1));
        assertThat(pace.chunk()).isEqualTo(1000);
        pace.took(1000, ms(1));
        assertThat(pace.chunk()).isEqualTo(2000);
    }

    @Test
    void theChunkStaysWithinItsBoundsWhateverTheTimingSays() {
        pace.took(500, ms(60_000));
        assertThat(pace.chunk()).isEqualTo(SweepPace.MIN_CHUNK);
        for (int i = 0; i < 30; i++) {
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
