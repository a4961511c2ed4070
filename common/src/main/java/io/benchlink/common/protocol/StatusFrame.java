package io.benchlink.common.protocol;

import io.benchlink.common.status.DeviceStatus;
import io.benchlink.common.status.InvalidFieldException;
import java.util.Objects;

/** agent → gateway: one status with the agent's own sequence number (1, 2, 3, ... per agent_id). */
public record StatusFrame(long seq, DeviceStatus status) implements AgentFrame {
    public StatusFrame {
        if (seq < 1) {
            throw new InvalidFieldException("seq", seq, "must be a positive integer");
        }
        Objects.requireNonNull(status, "status");
    }
}
