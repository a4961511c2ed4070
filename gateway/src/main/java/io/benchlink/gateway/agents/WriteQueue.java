package io.benchlink.gateway.agents;

import io.benchlink.gateway.store.WriteCommand;

/** Where the agent side hands its commands to the store writer ({@code StoreWriter::submit}); never blocks. */
@FunctionalInterface
public interface WriteQueue {
    /** False when the writer is saturated or stopped: the caller refuses or retries, never waits. */
    boolean submit(WriteCommand command);
}
