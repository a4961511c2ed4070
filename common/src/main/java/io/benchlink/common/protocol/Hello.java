package io.benchlink.common.protocol;

import io.benchlink.common.status.DeviceId;
import io.benchlink.common.status.InvalidFieldException;
import java.util.LinkedHashSet;
import java.util.List;

/** agent → gateway, first frame of a link: who the agent is, its token, and the devices it reports for. */
public record Hello(String agentId, String token, List<String> devices) implements AgentFrame {
    public static final int MAX_DEVICES = 1024;

    public Hello {
        DeviceId.requireAgentId(agentId);
        devices = devices == null ? List.of() : List.copyOf(devices);
        if (devices.size() > MAX_DEVICES) {
            throw new InvalidFieldException("devices", devices.size(), "must list at most " + MAX_DEVICES);
        }
        devices.forEach(id -> DeviceId.require("devices", id));
        if (new LinkedHashSet<>(devices).size() != devices.size()) {
            throw new InvalidFieldException("devices", devices, "must not repeat a device_id");
        }
    }

    /** Tokens never appear in logs, so the record's text leaves it out. */
    @Override
    public String toString() {
        return "Hello[agentId=" + agentId + ", devices=" + devices + "]";
    }
}
