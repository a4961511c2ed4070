package io.benchlink.common.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class WallClockTest {
    private final WallClock moscow = new WallClock(Clock.fixed(Instant.parse("2025-08-28T11:52:34.615642Z"),
            ZoneId.of("Europe/Moscow")));

    @Test
    void formatsAlwaysSixFractionDigitsWithoutOffset() {
        assertThat(WallClock.format(LocalDateTime.of(2025, 8, 28, 14, 52, 34))).isEqualTo("2025-08-28T14:52:34.000000");
        assertThat(WallClock.format(moscow.now())).isEqualTo("2025-08-28T14:52:34.615642");
    }

    @Test
    void parsesLocalTimesWithAnyFractionAndConvertsOffsetTimesToTheZone() {
        assertThat(moscow.parse("t", "2025-08-28T14:52:34")).isEqualTo(LocalDateTime.of(2025, 8, 28, 14, 52, 34));
        assertThat(moscow.parse("t", "2025-08-28T14:52:34.615642789"))
                .isEqualTo(LocalDateTime.of(2025, 8, 28, 14, 52, 34, 615_642_000));
        assertThat(moscow.parse("t", "2025-08-28T11:52:34.5Z"))
                .isEqualTo(LocalDateTime.of(2025, 8, 28, 14, 52, 34, 500_000_000));
    }

    @Test
    void refusesUnreadableTimeNamingTheField() {
        assertThatThrownBy(() -> moscow.parse("time_end", "28.08.2025 14:52")).hasMessageStartingWith("time_end ");
    }
}
