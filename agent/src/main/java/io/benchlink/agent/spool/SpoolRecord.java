package io.benchlink.agent.spool;

import io.benchlink.common.status.DeviceStatus;
import java.util.Objects;

/** One spooled status and the agent sequence number it travels under (PROTOCOL.md §3 {@code status.seq}). */
public record SpoolRecord(long seq, DeviceStatus status) {
    public SpoolRecord {
        if (seq < 1) {
            throw new IllegalArgumentException("spool seq must be positive (got " + seq + ")");
        }
        Objects.requireNonNull(status, "status");
    }
}
