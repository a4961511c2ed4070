package io.benchlink.gateway.store;

import io.benchlink.common.status.DeviceStatus;
import java.util.List;
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

    /** An agent's link has been gone for the grace period: publish offline if no newer link said hello since. */
    record LinkLost(String agentId, long generation, List<String> devices) implements WriteCommand {
    }

    /** An agent said hello: bring back online the devices its lost link had taken offline. */
    record LinkUp(String agentId, List<String> devices) implements WriteCommand {
    }

    /** Drop events older than the retention window. */
    record Purge() implements WriteCommand {
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
