package io.benchlink.gateway.testing;

import io.benchlink.gateway.store.EventStore;
import io.benchlink.gateway.store.ResultCount;
import io.benchlink.gateway.store.Snapshot;
import io.benchlink.gateway.store.StoredEvent;
import io.benchlink.gateway.store.WriteSession;
import java.util.List;

/**
 * A store that passes its calls to a real one, for a test's decorator to override the one or two calls it watches
 * or holds back (see {@link ForwardingWriteSession} for the writer's side).
 *
 * <p>The paged reads ({@code devicesAfter}, {@code devicesBySeq}) go to the real store's own. {@code lastStatusKinds}
 * (the start-up's read) and {@code lastStatus} are deliberately left to the interface's defaults: they run on this
 * decorator and so go through its {@link #snapshot(String)}, where a decorator that records reads sees them.
 */
public abstract class ForwardingEventStore implements EventStore {
    private final EventStore store;

    protected ForwardingEventStore(EventStore store) {
        this.store = store;
    }

    @Override
    public List<StoredEvent> eventsAfter(long since, String deviceId, int limit) {
        return store.eventsAfter(since, deviceId, limit);
    }

    @Override
    public Snapshot snapshot(String deviceId) {
        return store.snapshot(deviceId);
    }

    @Override
    public Snapshot devicesAfter(String afterDeviceId, int limit) {
        return store.devicesAfter(afterDeviceId, limit);
    }

    @Override
    public Snapshot devicesBySeq(long afterSeq, long maxSeq, int limit) {
        return store.devicesBySeq(afterSeq, maxSeq, limit);
    }

    @Override
    public List<ResultCount> resultCounts(long fromMillis, long maxSeq) {
        return store.resultCounts(fromMillis, maxSeq);
    }

    @Override
    public long oldestSeq() {
        return store.oldestSeq();
    }

    @Override
    public long latestSeq() {
        return store.latestSeq();
    }

    @Override
    public long eventCount() {
        return store.eventCount();
    }

    @Override
    public long agentMark(String agentId) {
        return store.agentMark(agentId);
    }

    @Override
    public long sizeBytes() {
        return store.sizeBytes();
    }

    @Override
    public String location() {
        return store.location();
    }

    @Override
    public WriteSession openWriter() {
        return store.openWriter();
    }

    @Override
    public void close() {
        store.close();
    }
}
