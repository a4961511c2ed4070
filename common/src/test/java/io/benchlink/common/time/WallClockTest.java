package io.benchlink.common.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Random;
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

    @Test
    void handWrittenFormatAndParseAgreeWithTheJavaTimeFormatters() {
        Random random = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            LocalDateTime time = LocalDateTime.of(1 + random.nextInt(9999), 1 + random.nextInt(12), 1,
                    random.nextInt(24), random.nextInt(60), random.nextInt(60), random.nextInt(1_000_000_000))
                    .plusDays(random.nextInt(31));
            LocalDateTime micros = time.truncatedTo(ChronoUnit.MICROS);
            assertThat(WallClock.format(time)).isEqualTo(WallClock.FORMAT.format(time));
            String iso = DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(time);
            assertThat(moscow.parse("t", iso)).as(iso).isEqualTo(micros);
            int digits = random.nextInt(10);
            String cut = time.format(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss"))
                    + (digits == 0 ? "" : "." + String.format("%09d", time.getNano()).substring(0, digits));
            assertThat(moscow.parse("t", cut)).as(cut)
                    .isEqualTo(LocalDateTime.parse(cut, DateTimeFormatter.ISO_LOCAL_DATE_TIME).truncatedTo(ChronoUnit.MICROS));
        }
    }

    @Test
    void refusesImpossibleDatesAndTimesInTheCommonSpelling() {
        for (String bad : List.of("2025-02-29T10:00:00.000000", "2025-04-31T10:00:00", "2025-08-28T24:00:00.000000",
                "2025-08-28T14:60:00", "2025-13-01T00:00:00", "2025-08-28T14:52:3x.000000",
                "2025-08-28 14:52:34.000000", "2025-08-28T14:52:34.1234567890")) {
            assertThatThrownBy(() -> moscow.parse("time_start", bad)).as(bad).hasMessageStartingWith("time_start ");
        }
        assertThat(moscow.parse("t", "2024-02-29T23:59:59.999999")).isEqualTo(LocalDateTime.of(2024, 2, 29, 23, 59, 59, 999_999_000));
        assertThat(moscow.parse("t", "2025-08-28T14:52")).isEqualTo(LocalDateTime.of(2025, 8, 28, 14, 52));
    }
}
