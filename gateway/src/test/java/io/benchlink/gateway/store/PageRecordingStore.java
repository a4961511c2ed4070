package io.benchlink.gateway.store;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Issue 18: an {@link EventStore} that passes every call to a real one and remembers the largest number of devices
 * one call of each read returned, so a test can show that a large answer was read a page at a time.
 */
public final class PageRecordingStore implements EventStore {
    private final EventStore store;
    private final Map<String, Integer> largest = new ConcurrentHashMap<>();

    public PageRecordingStore(EventStore store) {
        this.store = store;
    }

    /** The most devices one call of {@code snapshot(null)}, {@code devicesAfter} or {@code devicesBySeq} returned. */
    public int largestDeviceRead() {
        return largest.values().stream().mapToInt(Integer::intValue).max().orElse(0);
    }

    /** Forgets what was read so far (e.g. by the gateway's start-up). */
    public void forget() {
        largest.clear();
    }

    private Snapshot seen(String read, Snapshot snapshot) {
        largest.merge(read, snapshot.devices().size(), Math::max);
        return snapshot;
    }

    @Override
    public List<StoredEvent> eventsAfter(long since, String deviceId, int limit) {
        return store.eventsAfter(since, deviceId, limit);
    }

    @Override
    public Snapshot snapshot(String deviceId) {
        Snapshot snapshot = store.snapshot(deviceId);
        return deviceId == null ? seen("snapshot", snapshot) : snapshot;
    }

    @Override
    public Snapshot devicesAfter(String afterDeviceId, int limit) {
        return seen("devicesAfter", store.devicesAfter(afterDeviceId, limit));
    }

    @Override
    public Snapshot devicesBySeq(long afterSeq, long maxSeq, int limit) {
        return seen("devicesBySeq", store.devicesBySeq(afterSeq, maxSeq, limit));
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
