package io.benchlink.gateway.testing;

import io.benchlink.gateway.store.StoredEvent;
import io.benchlink.gateway.store.WriteSession;
import java.util.Optional;

/**
 * A writer's session that passes its calls to a real one, for a test's decorator to override the call it holds
 * back, fails or records (a commit that waits for a stalled disk, a purge that answers what the test queued).
 */
public abstract class ForwardingWriteSession implements WriteSession {
    private final WriteSession session;

    protected ForwardingWriteSession(WriteSession session) {
        this.session = session;
    }

    @Override
    public Committed load() {
        return session.load();
    }

    @Override
    public long begin() {
        return session.begin();
    }

    @Override
    public long agentMark(String agentId) {
        return session.agentMark(agentId);
    }

    @Override
    public Optional<StoredEvent> findIdempotent(String key) {
        return session.findIdempotent(key);
    }

    @Override
    public void append(StoredEvent event, String result, String agentId, long agentSeq, long storedMillis) {
        session.append(event, result, agentId, agentSeq, storedMillis);
    }

    @Override
    public void saveIdempotent(String key, long seq, long storedMillis) {
        session.saveIdempotent(key, seq, storedMillis);
    }

    @Override
    public void saveAgentMark(String agentId, long agentSeq) {
        session.saveAgentMark(agentId, agentSeq);
    }

    @Override
    public int purge(long olderThanMillis, int limit) {
        return session.purge(olderThanMillis, limit);
    }

    @Override
    public void commit(long lastSeq) {
        session.commit(lastSeq);
    }

    @Override
    public void rollback() {
        session.rollback();
    }

    @Override
    public void close() {
        session.close();
    }
}
