package io.benchlink.agent.spool;

import io.benchlink.common.status.DeviceStatus;
import io.benchlink.common.status.StatusKind;
import java.time.LocalDateTime;

/** Statuses for spool and uplink tests; {@code n} goes into the result text so records can be told apart. */
public final class TestStatuses {
    private static final LocalDateTime T0 = LocalDateTime.of(2026, 11, 27, 12, 0);

    private TestStatuses() {
    }

    public static DeviceStatus result(String deviceId, int n) {
        return new DeviceStatus("AA:BB:CC:DD:EE:" + String.format("%02X", n & 0xff), "SN-" + n, StatusKind.SUCCESS,
                T0, T0.plusSeconds(1), T0.plusSeconds(2), "result " + n, deviceId, 0);
    }

    public static DeviceStatus link(String deviceId, StatusKind kind, int n) {
        return DeviceStatus.link(deviceId, kind, "link " + n, T0.plusSeconds(n));
    }
}
