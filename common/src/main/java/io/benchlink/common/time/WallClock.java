package io.benchlink.common.time;

import io.benchlink.common.status.InvalidFieldException;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.ChronoUnit;

/**
 * The contract's time format (CONTRACT §1): local wall-clock time of one configured zone, no offset,
 * always six fraction digits ({@code yyyy-MM-dd'T'HH:mm:ss.SSSSSS}). Immutable; safe to share.
 */
public final class WallClock {
    public static final DateTimeFormatter FORMAT = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd'T'HH:mm:ss")
            .appendFraction(ChronoField.MICRO_OF_SECOND, 6, 6, true)
            .toFormatter();

    private final Clock clock;

    public WallClock(Clock clock) {
        this.clock = clock;
    }

    public static WallClock system() {
        return new WallClock(Clock.systemDefaultZone());
    }

    public static WallClock of(ZoneId zone) {
        return new WallClock(Clock.system(zone));
    }

    public ZoneId zone() {
        return clock.getZone();
    }

    public Clock clock() {
        return clock;
    }

    public LocalDateTime now() {
        return LocalDateTime.now(clock).truncatedTo(ChronoUnit.MICROS);
    }

    public static String format(LocalDateTime time) {
        return time == null ? null : FORMAT.format(time);
    }

    /**
     * Reads a time as rigs and integrators send it: local ISO time with 0 to 9 fraction digits, or with an
     * offset, which is converted to this clock's zone (so a {@code Z} time from a UTC system lands right).
     */
    public LocalDateTime parse(String field, String text) {
        if (text == null) {
            return null;
        }
        try {
            return LocalDateTime.parse(text, DateTimeFormatter.ISO_LOCAL_DATE_TIME).truncatedTo(ChronoUnit.MICROS);
        } catch (DateTimeParseException local) {
            try {
                return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                        .atZoneSameInstant(zone()).toLocalDateTime().truncatedTo(ChronoUnit.MICROS);
            } catch (DateTimeParseException offset) {
                throw new InvalidFieldException(field, text, "must be a time like 2025-08-28T14:52:34.615642");
            }
        }
    }
}
