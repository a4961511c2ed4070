package io.benchlink.common.status;

import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * One status of one device, as 1C sees it (PROTOCOL.md §1). The compact constructor normalises and validates,
 * so an instance that breaks the contract cannot exist. Times are wall-clock times of the gateway's zone,
 * truncated to microseconds because the wire carries six fraction digits.
 *
 * @param seq the gateway's event number, or 0 while the status has not been stored by a gateway yet
 */
public record DeviceStatus(
        String macAddress,
        String serialNumber,
        StatusKind status,
        LocalDateTime timeStart,
        LocalDateTime timeEnd,
        LocalDateTime updatedAt,
        String result,
        String deviceId,
        long seq) {

    public static final String UNKNOWN = "unknown";
    /** Longest accepted free text; longer tester output is a fault, not a result. */
    public static final int MAX_TEXT = 4096;

    public DeviceStatus {
        macAddress = MacAddress.normalize(macAddress);
        serialNumber = serialNumber == null || serialNumber.isBlank() ? UNKNOWN : serialNumber.trim();
        requireLength("serial_number", serialNumber, 128);
        if (status == null) {
            throw new InvalidFieldException("status", null, "is required");
        }
        timeStart = micros(timeStart);
        timeEnd = micros(timeEnd);
        if (updatedAt == null) {
            throw new InvalidFieldException("updated_at", null, "is required");
        }
        updatedAt = micros(updatedAt);
        if (result != null) {
            requireLength("result", result, MAX_TEXT);
        }
        DeviceId.require("device_id", deviceId);
        if (seq < 0) {
            throw new InvalidFieldException("seq", seq, "must not be negative");
        }
    }

    /** The same status as stored by the gateway: its event number and its store time. */
    public DeviceStatus stored(long newSeq, LocalDateTime storedAt) {
        return new DeviceStatus(macAddress, serialNumber, status, timeStart, timeEnd, storedAt, result, deviceId,
                newSeq);
    }

    public DeviceStatus withSeq(long newSeq) {
        return new DeviceStatus(macAddress, serialNumber, status, timeStart, timeEnd, updatedAt, result, deviceId,
                newSeq);
    }

    /** A link-state status ({@code online}/{@code offline}) with no test times. */
    public static DeviceStatus link(String deviceId, StatusKind kind, String result, LocalDateTime at) {
        Objects.requireNonNull(kind, "kind");
        return new DeviceStatus(UNKNOWN, UNKNOWN, kind, null, null, at, result, deviceId, 0);
    }

    private static LocalDateTime micros(LocalDateTime time) {
        return time == null ? null : time.truncatedTo(ChronoUnit.MICROS);
    }

    private static void requireLength(String field, String value, int max) {
        if (value.length() > max) {
            throw new InvalidFieldException(field, value, "must be at most " + max + " characters");
        }
    }
}
