package io.benchlink.common.time;

import static org.assertj.core.api.Assertions.assertThat;

import io.benchlink.common.testing.TestClock;
import java.time.Instant;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

class WallClockEdgesTest {

    @Test
    void yearZeroIsWrittenAsFourZeroDigitsAndReadBack() {
        LocalDateTime yearZero = LocalDateTime.of(0, 1, 2, 3, 4, 5, 6_000);
        assertThat(WallClock.format(yearZero)).isEqualTo("0000-01-02T03:04:05.000006");
        assertThat(WallClock.system().parse("t", WallClock.format(yearZero))).isEqualTo(yearZero);
    }

    @Test
    void exposesTheClockItReads() {
        TestClock clock = new TestClock(Instant.parse("2025-08-28T14:54:58.123456789Z"));
        WallClock wall = new WallClock(clock);
        assertThat(wall.clock()).isSameAs(clock);
        assertThat(wall.now()).isEqualTo(LocalDateTime.of(2025, 8, 28, 14, 54, 58, 123_456_000));
    }
}
