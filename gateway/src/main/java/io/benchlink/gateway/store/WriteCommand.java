package io.benchlink.gateway.store;

import io.benchlink.common.status.DeviceStatus;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/** What the single store writer can be asked to do; each is applied inside one group-commit transaction. */
public sealed interface WriteCommand {

    /** A status from an agent link; {@code receipt} hears once it is durable (or was already stored). */
    record AgentStatus(String agentId, long agentSeq, DeviceStatus status, Receipt receipt) implements WriteCommand {
    }

    /** A status pushed over HTTP; with a key, a retried POST stores it once and gets the first event back. */
    record ClientStatus(String idempotencyKey, DeviceStatus status, CompletableFuture<StoredEvent> done)
            implements WriteCommand {
    }

    /**
     * Statuses the gateway itself makes (a device going offline or back online with its agent's link). The writer
     * asks {@code guard} for each one when it applies the command, in order with everything queued before it, and
     * stores those the guard admits: the decision belongs to the caller, the moment of it to the writer.
     */
    record Publish(List<DeviceStatus> statuses, Guard guard) implements WriteCommand {
        public Publish {
            statuses = List.copyOf(statuses);
            Objects.requireNonNull(guard, "guard");
        }
    }

    /**
     * An agent opened a new link and resends from its committed mark ({@code welcome.last_seq + 1}): statuses held
     * back behind a failed commit of its older link (the writer's fence) may be stored again.
     */
    record NewLink(String agentId) implements WriteCommand {
    }

    /** Drop events older than the retention window. */
    record Purge() implements WriteCommand {
    }

    /** Decides, on the writer thread and without blocking, whether a {@link Publish}ed status is still wanted. */
    @FunctionalInterface
    interface Guard {
        /** {@code last} is the device's last state including earlier commands of the same batch, null if none. */
        boolean admit(String deviceId, WriteSession.DeviceState last);
    }

    /** How the writer reports on an agent status, on the writer thread; implementations must not block. */
    interface Receipt {
        void stored(long agentSeq);

        void failed(long agentSeq, String reason);

        /** After every receipt of a committed batch was told: send what was collected, in one write. */
        default void flush() {
        }
    }
}
