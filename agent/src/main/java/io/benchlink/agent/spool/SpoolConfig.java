package io.benchlink.agent.spool;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Where the spool lives and how much it may hold. Validated once here, so a running spool never meets a bad value.
 *
 * @param dir      directory of the spool database (created if missing); one agent per directory (locked)
 * @param maxBytes upper bound of the stored status payloads plus a fixed per-record overhead (default 1 GiB)
 * @param maxAge   records older than this are dropped with a WARN (default 30 days)
 */
public record SpoolConfig(Path dir, long maxBytes, Duration maxAge) {
    public static final long DEFAULT_MAX_BYTES = 1L << 30;
    public static final Duration DEFAULT_MAX_AGE = Duration.ofDays(30);

    public SpoolConfig {
        Objects.requireNonNull(dir, "spool dir");
        if (maxBytes < 1) {
            throw new IllegalArgumentException("spool max bytes must be positive (got " + maxBytes + ")");
        }
        Objects.requireNonNull(maxAge, "spool max age");
        if (maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("spool max age must be positive (got " + maxAge + ")");
        }
    }

    /** The defaults of issue 4: 1 GiB, 30 days. */
    public static SpoolConfig defaults(Path dir) {
        return new SpoolConfig(dir, DEFAULT_MAX_BYTES, DEFAULT_MAX_AGE);
    }
}
