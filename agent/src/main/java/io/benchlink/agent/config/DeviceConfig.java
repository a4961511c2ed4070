package io.benchlink.agent.config;

import io.benchlink.agent.profile.Profile;
import io.benchlink.agent.serial.SerialSettings;
import io.benchlink.common.status.DeviceId;
import io.benchlink.common.status.InvalidFieldException;

/** One tester the agent reads: its device_id, source, profile and serial line settings. Validated once. */
public record DeviceConfig(String deviceId, SourceSpec source, Profile profile, SerialSettings serial) {
    public DeviceConfig {
        DeviceId.require("device_id", deviceId);
        if (source == null) {
            throw new InvalidFieldException("port", null, "is required (or usb)");
        }
        if (profile == null) {
            throw new InvalidFieldException("profile", null, "is required");
        }
        serial = serial == null ? SerialSettings.DEFAULT : serial;
    }
}
