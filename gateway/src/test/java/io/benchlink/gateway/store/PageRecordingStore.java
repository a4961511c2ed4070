package io.benchlink.gateway.store;

import io.benchlink.gateway.testing.ForwardingEventStore;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Issue 18: an {@link EventStore} that passes every call to a real one ({@link ForwardingEventStore}) and remembers
 * the largest number of devices one call of each read returned, so a test can show that a large answer was read a
 * page at a time.
 */
public final class PageRecordingStore extends ForwardingEventStore {
    private final Map<String, Integer> largest = new ConcurrentHashMap<>();

    public PageRecordingStore(EventStore store) {
        super(store);
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
    public Snapshot snapshot(String deviceId) {
        Snapshot snapshot = super.snapshot(deviceId);
        return deviceId == null ? seen("snapshot", snapshot) : snapshot;
    }

    @Override
    public Snapshot devicesAfter(String afterDeviceId, int limit) {
        return seen("devicesAfter", super.devicesAfter(afterDeviceId, limit));
    }

    @Override
    public Snapshot devicesBySeq(long afterSeq, long maxSeq, int limit) {
        return seen("devicesBySeq", super.devicesBySeq(afterSeq, maxSeq, limit));
    }
}
