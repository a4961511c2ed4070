package io.benchlink.gateway.store;

import io.benchlink.gateway.testing.StubEventStore;
import java.util.List;

/**
 * A store for the unit tests of the writer's neighbours (the agent endpoint): its writer session is the in-memory
 * {@link MemoryWriteSession}, so a real {@link StoreWriter} runs on it without a disk. Only the writer side works;
 * the read side is not needed by those tests. Read what was stored after the writer is closed (or once a receipt
 * said so).
 */
public final class MemoryStore extends StubEventStore {
    private final MemoryWriteSession session = new MemoryWriteSession();

    /** An agent mark committed before the writer opens (what an earlier run stored). */
    public MemoryStore committedMark(String agentId, long agentSeq) {
        session.agentMarks.put(agentId, agentSeq);
        return this;
    }

    /** The next {@code n} commits fail like a full disk. */
    public synchronized void failCommits(int n) {
        session.failNextCommits = n;
    }

    /** Events committed so far. */
    public List<StoredEvent> committed() {
        return List.copyOf(session.events);
    }

    @Override
    public WriteSession openWriter() {
        return session;
    }

    @Override
    public long agentMark(String agentId) {
        return session.agentMark(agentId);
    }

    @Override
    public long latestSeq() {
        return session.lastSeq;
    }

    @Override
    public long eventCount() {
        return session.events.size();
    }

    @Override
    public long sizeBytes() {
        return -1;
    }

    @Override
    public String location() {
        return "memory";
    }
}
