package io.benchlink.common.time;

import io.benchlink.common.status.InvalidFieldException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.ChronoUnit;

/**
 * The contract's time format (PROTOCOL.md §1): local wall-clock time of one configured zone, no offset,
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

    /** The contract's format; written by hand because it runs three times per status on the hot path. */
    public static String format(LocalDateTime time) {
        if (time == null) {
            return null;
        }
        int year = time.getYear();
        if (year < 0 || year > 9999) {
            return FORMAT.format(time);
        }
        byte[] out = new byte[26];
        digits(out, 0, year, 4);
        out[4] = '-';
        digits(out, 5, time.getMonthValue(), 2);
        out[7] = '-';
        digits(out, 8, time.getDayOfMonth(), 2);
        out[10] = 'T';
        digits(out, 11, time.getHour(), 2);
        out[13] = ':';
        digits(out, 14, time.getMinute(), 2);
        out[16] = ':';
        digits(out, 17, time.getSecond(), 2);
        out[19] = '.';
        digits(out, 20, time.getNano() / 1_000, 6);
        return new String(out, StandardCharsets.ISO_8859_1);
    }

    private static void digits(byte[] out, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            out[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
    }

    /**
     * Reads a time as rigs and integrators send it: local ISO time with 0 to 9 fraction digits, or with an
     * offset, which is converted to this clock's zone (so a {@code Z} time from a UTC system lands right).
     */
    public LocalDateTime parse(String field, String text) {
        if (text == null) {
            return null;
        }
        LocalDateTime plain = parsePlain(text);
        if (plain != null) {
            return plain;
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

    /**
     * The common spelling {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]} read without the formatter machinery; null for
     * anything else (shorter forms, offsets, impossible dates), which the full parser then accepts or refuses.
     */
    private static LocalDateTime parsePlain(String text) {
        int length = text.length();
        if (length < 19 || length == 20 || length > 29 || text.charAt(4) != '-' || text.charAt(7) != '-'
                || text.charAt(10) != 'T' || text.charAt(13) != ':' || text.charAt(16) != ':'
                || (length > 19 && text.charAt(19) != '.')) {
            return null;
        }
        int year = number(text, 0, 4);
        int month = number(text, 5, 2);
        int day = number(text, 8, 2);
        int hour = number(text, 11, 2);
        int minute = number(text, 14, 2);
        int second = number(text, 17, 2);
        int fractionDigits = length > 19 ? length - 20 : 0;
        int fraction = fractionDigits > 0 ? number(text, 20, fractionDigits) : 0;
        if ((year | month | day | hour | minute | second | fraction) < 0) {
            return null;
        }
        int micros = fraction;
        for (int digits = fractionDigits; digits < 6; digits++) {
            micros *= 10;
        }
        for (int digits = fractionDigits; digits > 6; digits--) {
            micros /= 10;
        }
        try {
            return LocalDateTime.of(year, month, day, hour, minute, second, micros * 1_000);
        } catch (DateTimeException impossible) {
            return null;
        }
    }

    /** The decimal value of {@code width} ASCII digits at {@code at}, or -1 if any is not a digit. */
    private static int number(String text, int at, int width) {
        int value = 0;
        for (int i = at; i < at + width; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
