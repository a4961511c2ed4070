package io.benchlink.gateway.agents;

import io.benchlink.gateway.store.WriteCommand;
import java.util.function.LongConsumer;

/**
 * Wraps an agent session's receipt for one status to time it from receipt on the link to the ack (the ack
 * latency metric). Called on the store writer thread, like the session it wraps; the observer must not block.
 */
record TimedReceipt(AgentSession session, long receivedNanos, LongConsumer observer) implements WriteCommand.Receipt {

    @Override
    public void stored(long agentSeq) {
        session.stored(agentSeq);
        observer.accept(System.nanoTime() - receivedNanos);
    }

    @Override
    public void flush() {
        session.flush();
    }

    @Override
    public void refused(long agentSeq, String deviceId, String reason) {
        session.refused(agentSeq, deviceId, reason);
    }

    @Override
    public void failed(long agentSeq, String reason) {
        session.failed(agentSeq, reason);
    }
}
