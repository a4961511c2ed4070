package io.benchlink.gateway.store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An in-memory {@link WriteSession} for the writer's unit tests: the store's half of the boundary with no disk.
 * A batch's changes are staged and applied at commit; {@link #failNextCommits} makes commits throw like a full
 * disk would. Single-threaded, like the writer.
 */
class MemoryWriteSession implements WriteSession {
    final List<StoredEvent> events = new ArrayList<>();
    final Map<String, Long> agentMarks = new HashMap<>();
    final Map<String, DeviceState> devices = new HashMap<>();
    final Map<String, Long> keys = new HashMap<>();
    long lastSeq;
    int commits;
    int failNextCommits;
    private final List<StoredEvent> staged = new ArrayList<>();
    private final Map<String, DeviceState> stagedDevices = new HashMap<>();
    private final Map<String, Long> stagedMarks = new HashMap<>();
    private final Map<String, Long> stagedKeys = new HashMap<>();
    private boolean inBatch;

    @Override
    public Committed load() {
        return new Committed(lastSeq, agentMarks, devices);
    }

    @Override
    public long begin() {
        if (inBatch) {
            throw new IllegalStateException("begin inside a batch");
        }
        inBatch = true;
        return lastSeq;
    }

    @Override
    public long agentMark(String agentId) {
        return agentMarks.getOrDefault(agentId, 0L);
    }

    @Override
    public Optional<StoredEvent> findIdempotent(String key) {
        Long seq = stagedKeys.containsKey(key) ? stagedKeys.get(key) : keys.get(key);
        if (seq == null) {
            return Optional.empty();
        }
        return java.util.stream.Stream.concat(events.stream(), staged.stream()).filter(e -> e.seq() == seq)
                .findFirst();
    }

    @Override
    public void append(StoredEvent event, String result, String agentId, long agentSeq, long storedMillis) {
        if (!inBatch) {
            throw new IllegalStateException("append outside a batch");
        }
        staged.add(event);
        stagedDevices.put(event.deviceId(), new DeviceState(event.status(), result));
    }

    @Override
    public void saveIdempotent(String key, long seq, long storedMillis) {
        stagedKeys.put(key, seq);
    }

    @Override
    public void saveAgentMark(String agentId, long agentSeq) {
        stagedMarks.put(agentId, agentSeq);
    }

    @Override
    public int purge(long olderThanMillis, int limit) {
        return 0;
    }

    @Override
    public void commit(long newLastSeq) {
        if (failNextCommits > 0) {
            failNextCommits--;
            throw new StoreException("store commit failed (disk full)", null);
        }
        events.addAll(staged);
        devices.putAll(stagedDevices);
        agentMarks.putAll(stagedMarks);
        keys.putAll(stagedKeys);
        lastSeq = newLastSeq;
        commits++;
        clearStaged();
    }

    @Override
    public void rollback() {
        clearStaged();
    }

    private void clearStaged() {
        staged.clear();
        stagedDevices.clear();
        stagedMarks.clear();
        stagedKeys.clear();
        inBatch = false;
    }

    @Override
    public void close() {
    }
}
