package io.benchlink.gateway.agents;

import io.benchlink.gateway.store.WriteCommand;
import java.util.function.LongConsumer;

/**
 * Wraps an agent session's receipt for one status to time it from receipt on the link to the ack (the ack
 * latency metric), and to give the status's place in the link's writer share back (issue 14.4) once the writer
 * has answered. Called on the store writer thread, like the session it wraps; the observer must not block.
 */
record TimedReceipt(AgentSession session, long receivedNanos, LongConsumer observer) implements WriteCommand.Receipt {

    @Override
    public void stored(long agentSeq) {
        session.held().release();
        session.stored(agentSeq);
        observer.accept(System.nanoTime() - receivedNanos);
    }

    @Override
    public void flush() {
        session.flush();
    }

    @Override
    public void refused(long agentSeq, String deviceId, String reason) {
        session.held().release();
        session.refused(agentSeq, deviceId, reason);
    }

    @Override
    public void failed(long agentSeq, String reason) {
        session.held().release();
        session.failed(agentSeq, reason);
    }
}
