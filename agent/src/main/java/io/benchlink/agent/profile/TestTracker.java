package io.benchlink.agent.profile;

import io.benchlink.common.status.DeviceStatus;
import io.benchlink.common.status.InvalidFieldException;
import io.benchlink.common.status.MacAddress;
import io.benchlink.common.status.StatusKind;
import io.benchlink.common.time.WallClock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One device's test in progress: turns the facts of its lines into exactly one result status per test. A test
 * begins at a start line, or implicitly at the first MAC/serial line when the tester prints no start line; it
 * ends at a pass/fail/error line or at the profile's timeout. {@code time_start} is the start line's time (the
 * result's time when there was none), {@code time_end} the result's time, and MAC and serial come from that
 * test's own lines only. The test survives a reconnect of the port, so a brief cable glitch loses nothing; if
 * the result never comes, the timeout reports it.
 *
 * <p>Owned by: the device's reader thread (not thread-safe).
 */
public final class TestTracker {
    private static final Logger LOG = LoggerFactory.getLogger(TestTracker.class);
    private static final int MAX_SERIAL = 128;

    private final String deviceId;
    private final Duration timeout;
    private final WallClock clock;

    private boolean inTest;
    private LocalDateTime startedAt;     // time of the start line, null for an implicit test
    private LocalDateTime firstLineAt;   // time of the test's first line, for the timeout
    private String mac;
    private String serial;

    public TestTracker(String deviceId, Duration timeout, WallClock clock) {
        this.deviceId = deviceId;
        this.timeout = timeout;
        this.clock = clock;
    }

    /** Applies one line's facts; returns the statuses they complete (usually none, at most two). */
    public List<DeviceStatus> accept(LineFacts facts) {
        if (facts.isEmpty()) {
            return List.of();
        }
        LocalDateTime now = clock.now();
        List<DeviceStatus> out = new ArrayList<>(1);
        if (facts.start()) {
            if (inTest) {
                out.add(finish(StatusKind.ERROR, "no result before the next test started", now));
            }
            begin(now, now);
        }
        if (facts.mac() != null || facts.serial() != null) {
            if (!inTest) {
                begin(null, now);
            }
            takeMac(facts.mac());
            takeSerial(facts.serial());
        }
        if (facts.result() != null) {
            if (!inTest) {
                begin(null, now);
            }
            out.add(finish(facts.result(), facts.resultText(), now));
        }
        return out;
    }

    /** The timeout status if the test in progress has run longer than the profile allows. */
    public Optional<DeviceStatus> checkTimeout() {
        if (!inTest || timeout == null) {
            return Optional.empty();
        }
        LocalDateTime now = clock.now();
        if (Duration.between(firstLineAt, now).compareTo(timeout) < 0) {
            return Optional.empty();
        }
        if (startedAt == null) {
            startedAt = firstLineAt;
        }
        return Optional.of(finish(StatusKind.ERROR, "test timed out after " + timeout.toSeconds() + " s", now));
    }

    public boolean inTest() {
        return inTest;
    }

    private void begin(LocalDateTime startLineAt, LocalDateTime now) {
        inTest = true;
        startedAt = startLineAt;
        firstLineAt = now;
        mac = null;
        serial = null;
    }

    private DeviceStatus finish(StatusKind kind, String text, LocalDateTime now) {
        String result = text != null && text.length() > DeviceStatus.MAX_TEXT ? text.substring(0,
                DeviceStatus.MAX_TEXT) : text;
        LocalDateTime start = startedAt == null ? now : startedAt;
        DeviceStatus status = new DeviceStatus(mac, serial, kind, start, now, now, result, deviceId, 0);
        inTest = false;
        startedAt = null;
        mac = null;
        serial = null;
        return status;
    }

    private void takeMac(String raw) {
        if (raw == null) {
            return;
        }
        try {
            mac = MacAddress.normalize(raw);
        } catch (InvalidFieldException e) {
            LOG.warn("{} - ignoring unreadable MAC ({})", deviceId, e.getMessage());
        }
    }

    private void takeSerial(String raw) {
        if (raw == null || raw.isBlank()) {
            return;
        }
        String trimmed = raw.trim();
        if (trimmed.length() > MAX_SERIAL) {
            LOG.warn("{} - ignoring serial number longer than {} characters", deviceId, MAX_SERIAL);
            return;
        }
        serial = trimmed;
    }
}
