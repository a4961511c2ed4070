package io.benchlink.gateway.testing;

import io.benchlink.gateway.store.EventStore;
import io.benchlink.gateway.store.ResultCount;
import io.benchlink.gateway.store.Snapshot;
import io.benchlink.gateway.store.StoredEvent;
import io.benchlink.gateway.store.WriteSession;
import java.util.List;

/**
 * A store for a unit test of one of the store's neighbours: it answers only the calls the test overrides, and every
 * other one throws {@link UnsupportedOperationException}, so a unit that starts asking the store for more than its
 * test provides fails there instead of reading an empty answer. Closing it does nothing.
 */
public abstract class StubEventStore implements EventStore {
    @Override
    public List<StoredEvent> eventsAfter(long since, String deviceId, int limit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Snapshot snapshot(String deviceId) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<ResultCount> resultCounts(long fromMillis, long maxSeq) {
        throw new UnsupportedOperationException();
    }

    @Override
    public long oldestSeq() {
        throw new UnsupportedOperationException();
    }

    @Override
    public long latestSeq() {
        throw new UnsupportedOperationException();
    }

    @Override
    public long eventCount() {
        throw new UnsupportedOperationException();
    }

    @Override
    public long agentMark(String agentId) {
        throw new UnsupportedOperationException();
    }

    @Override
    public long sizeBytes() {
        throw new UnsupportedOperationException();
    }

    @Override
    public String location() {
        throw new UnsupportedOperationException();
    }

    @Override
    public WriteSession openWriter() {
        throw new UnsupportedOperationException();
    }

    @Override
    public void close() {
    }
}
