package io.benchlink.gateway.store.postgres;

import io.benchlink.common.status.DeviceStatus;
import java.util.Objects;

/**
 * One status to store within a batch: from an agent (deduplicated by its agent seq against the shared
 * high-water mark), from an HTTP client (with an optional idempotency key), or made by the gateway itself.
 *
 * @param agentId        the agent that sent it, or null
 * @param agentSeq       the agent's own sequence number (positive when {@code agentId} is set)
 * @param idempotencyKey the POST's key, or null
 */
public record Append(DeviceStatus status, String agentId, long agentSeq, String idempotencyKey) {
    public Append {
        Objects.requireNonNull(status, "status");
        if (agentId != null && agentSeq <= 0) {
            throw new IllegalArgumentException("an agent's status needs a positive agent seq (got " + agentSeq + ")");
        }
        if (agentId != null && idempotencyKey != null) {
            throw new IllegalArgumentException("an agent's status has no idempotency key");
        }
    }

    public static Append fromAgent(String agentId, long agentSeq, DeviceStatus status) {
        return new Append(status, Objects.requireNonNull(agentId, "agentId"), agentSeq, null);
    }

    public static Append fromClient(String idempotencyKey, DeviceStatus status) {
        return new Append(status, null, 0, idempotencyKey);
    }

    public static Append byGateway(DeviceStatus status) {
        return new Append(status, null, 0, null);
    }
}
