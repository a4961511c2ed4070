package io.benchlink.gateway.store;

import java.util.List;
import java.util.Optional;

/**
 * The store boundary: the event log with the gateway-wide seq, the last status of each device, each agent's
 * committed high-water mark and the HTTP idempotency keys. Implementations: {@code store.sqlite} (embedded, one
 * gateway) and a PostgreSQL one (several gateways on one database).
 *
 * <p>This interface is the read side (subscriber replay, snapshots, HTTP queries, metrics), safe from any thread
 * and never waiting for the writer. Every write goes through {@link StoreWriter}, the single owner of seq and
 * commits, which opens one {@link WriteSession} with {@link #openWriter()}.
 *
 * <p>Contract every implementation keeps (the store contract tests check it):
 * <ul>
 *   <li>Reads see only committed data, and a commit is visible to all reads at once (no half batch).
 *   <li>{@code seq} is unique and a reader that has seen seq N never later sees a newly committed event with a seq
 *       at or below N: events become visible in seq order (the keyset replay {@code seq > since} depends on it).
 *   <li>The last status of a device survives retention; its seq is the seq of that event.
 *   <li>Failures are reported as {@link StoreException} with a one-line message, never a partial result.
 * </ul>
 */
public interface EventStore extends AutoCloseable {

    /** Keyset replay: committed events with {@code seq > since} in seq order, at most {@code limit}, optionally for one device. */
    List<StoredEvent> eventsAfter(long since, String deviceId, int limit);

    /**
     * The last status of every device (or of one; null for all), ordered by device id, read together with the
     * highest committed seq at that moment ({@link Snapshot#highWater()}): one consistent view.
     */
    Snapshot snapshot(String deviceId);

    /**
     * Issue 18: one page of {@link #snapshot(String) snapshot(null)}: at most {@code limit} devices with ids after
     * {@code afterDeviceId} (null: from the first), ordered by device id, with the high-water seq of the same view.
     * Default: filters the whole snapshot (correct; a store with many devices should read only the page).
     */
    default Snapshot devicesAfter(String afterDeviceId, int limit) {
        Snapshot all = snapshot(null);
        return new Snapshot(all.devices().stream()
                .filter(d -> afterDeviceId == null || d.deviceId().compareTo(afterDeviceId) > 0)
                .limit(limit).toList(), all.highWater());
    }

    /**
     * Issue 18: one page of {@link #snapshot(String) snapshot(null)} in seq order, for a snapshot sent to a subscriber
     * a page at a time: at most {@code limit} devices whose last status has {@code afterSeq < seq <= maxSeq}, with
     * the high-water seq of the same view. Default: sorts the whole snapshot (correct; a store with many devices
     * should read only the page, through an index on the devices' seq).
     */
    default Snapshot devicesBySeq(long afterSeq, long maxSeq, int limit) {
        Snapshot all = snapshot(null);
        return new Snapshot(all.devices().stream().filter(d -> d.seq() > afterSeq && d.seq() <= maxSeq)
                .sorted(java.util.Comparator.comparingLong(StoredEvent::seq)).limit(limit).toList(), all.highWater());
    }

    /**
     * Issue 18: the last status of every device without its text ({@link StoredEvent#json()} is empty), in device id
     * order: what the start-up's restart check needs, without reading every device's JSON before the listeners open.
     */
    default List<StoredEvent> lastStatusKinds() {
        return snapshot(null).devices().stream()
                .map(d -> new StoredEvent(d.seq(), d.deviceId(), d.status(), "")).toList();
    }

    /** The last status of one device, if it has one. */
    default Optional<StoredEvent> lastStatus(String deviceId) {
        List<StoredEvent> devices = snapshot(deviceId).devices();
        return devices.isEmpty() ? Optional.empty() : Optional.of(devices.get(0));
    }

    /**
     * Test results ({@code success}/{@code fail}/{@code error}) stored at or after {@code fromMillis} (store time)
     * with {@code seq <= maxSeq}, counted per device, status and epoch minute.
     */
    List<ResultCount> resultCounts(long fromMillis, long maxSeq);

    /** The oldest retained event's seq, or 0 when the log is empty. */
    long oldestSeq();

    /** The highest seq ever committed (kept when retention empties the log), 0 for a new store. */
    long latestSeq();

    /** Events retained in the log. */
    long eventCount();

    /** The highest agent seq committed for {@code agentId} (what a welcome reports), 0 if none. */
    long agentMark(String agentId);

    /** Bytes the store occupies on disk, or -1 when unknown (e.g. a remote database). */
    long sizeBytes();

    /** Where the store is, for log lines: a file path or a JDBC URL without credentials. */
    String location();

    /**
     * Opens the connection of the single writer. Called once per gateway, by {@link StoreWriter}; the session
     * is used from the writer's thread only.
     */
    WriteSession openWriter();

    /** Closes the read side; the writer's session is closed by the writer. */
    @Override
    void close();
}
