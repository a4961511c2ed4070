package io.benchlink.gateway.subscribe;

import io.benchlink.common.status.StatusKind;
import io.benchlink.gateway.store.Snapshot;
import io.benchlink.gateway.store.StoredEvent;
import io.benchlink.gateway.testing.StubEventStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The read side of the store as the catch-up sees it, in memory: the event log in seq order, the last event of
 * each device, and the replay pages asked for. {@link #failing} makes every read throw like a broken store.
 */
final class ListStore extends StubEventStore {
    final List<StoredEvent> log = new ArrayList<>();
    /** "since/limit" of each replay page read, in order. */
    final List<String> pages = new ArrayList<>();
    int snapshots;
    RuntimeException failing;

    /** Commits one event: {"seq":N,"device_id":"d","status":"success"}. */
    StoredEvent add(long seq, String deviceId) {
        return add(seq, deviceId, StatusKind.SUCCESS);
    }

    StoredEvent add(long seq, String deviceId, StatusKind status) {
        StoredEvent event = event(seq, deviceId, status);
        log.add(event);
        return event;
    }

    static StoredEvent event(long seq, String deviceId) {
        return event(seq, deviceId, StatusKind.SUCCESS);
    }

    static StoredEvent event(long seq, String deviceId, StatusKind status) {
        return new StoredEvent(seq, deviceId, status, "{\"seq\":" + seq + ",\"device_id\":\"" + deviceId
                + "\",\"status\":\"" + status.wireName() + "\"}");
    }

    @Override
    public List<StoredEvent> eventsAfter(long since, String deviceId, int limit) {
        if (failing != null) {
            throw failing;
        }
        pages.add(since + "/" + limit);
        return log.stream().filter(e -> e.seq() > since && (deviceId == null || deviceId.equals(e.deviceId())))
                .sorted(Comparator.comparingLong(StoredEvent::seq)).limit(limit).toList();
    }

    /** The contract's order: by device id (not seq), with the highest committed seq. */
    @Override
    public Snapshot snapshot(String deviceId) {
        if (failing != null) {
            throw failing;
        }
        snapshots++;
        Map<String, StoredEvent> last = new TreeMap<>();
        for (StoredEvent e : log) {
            if (deviceId == null || deviceId.equals(e.deviceId())) {
                last.merge(e.deviceId(), e, (a, b) -> a.seq() >= b.seq() ? a : b);
            }
        }
        return new Snapshot(List.copyOf(last.values()), latestSeq());
    }

    @Override
    public long latestSeq() {
        return log.stream().mapToLong(StoredEvent::seq).max().orElse(0);
    }

    @Override
    public long eventCount() {
        return log.size();
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
