package io.benchlink.gateway.store;

import io.benchlink.common.status.StatusKind;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The single writer's connection to an {@link EventStore}: one transaction per batch. {@link StoreWriter} decides
 * every seq, every dedup and what to report; a session only stores what it is given, atomically per batch.
 *
 * <p>Call order, all on the writer's thread: {@link #load()} once, then per batch {@link #begin()}, any of the
 * write and lookup methods, and {@link #commit} or {@link #rollback()}. After a {@link StoreException} from any
 * call of a batch the writer calls {@link #rollback()}, and nothing of that batch may be visible, ever.
 *
 * <p>Every method may throw {@link StoreException} (one-line message).
 */
public interface WriteSession extends AutoCloseable {

    /** What is committed when the writer starts: seq, agent marks, device states (see {@link Committed}). */
    Committed load();

    /**
     * Starts a batch's transaction and returns the highest seq committed in this store by any writer. With
     * several gateways on one database this also serialises seq assignment until {@link #commit}/
     * {@link #rollback()} (so seqs become visible in commit order); with one writer it is the last committed seq.
     */
    long begin();

    /**
     * The committed high-water mark of {@code agentId} as seen by this transaction (0 if none). The writer asks it
     * when an agent opens a link, so an agent that moved from another gateway on the same database is deduplicated
     * against what that gateway stored.
     */
    long agentMark(String agentId);

    /** The event stored for an HTTP idempotency key, if any (keys older than retention may be gone). */
    Optional<StoredEvent> findIdempotent(String key);

    /**
     * Appends one event (its seq already assigned by the writer, above every seq committed so far) and makes it
     * its device's last status. {@code result} is the status's result text (null if none), kept with the device's
     * last status for {@link Committed#devices()}. {@code agentId} is null (and {@code agentSeq} 0) for statuses
     * not from an agent link; {@code storedMillis} is the store time retention and result counts use.
     */
    void append(StoredEvent event, String result, String agentId, long agentSeq, long storedMillis);

    /** Remembers {@code key} → {@code seq} for retried POSTs. */
    void saveIdempotent(String key, long seq, long storedMillis);

    /** Sets the agent's committed mark at commit; only ever raised by the writer within one store. */
    void saveAgentMark(String agentId, long agentSeq);

    /**
     * Deletes at most {@code limit} of the events stored before {@code olderThanMillis} (the oldest first), and as
     * many idempotency keys stored before it; devices' last statuses stay. Every back-end deletes in chunks because
     * the writer holds the store's seq lock meanwhile: the sweep repeats it in later batches while it returns
     * {@code limit} (docs/PERFORMANCE.md §4).
     */
    int purge(long olderThanMillis, int limit);

    /** Every event and key stored before {@code olderThanMillis} in this batch (tools and tests; the writer chunks). */
    default int purge(long olderThanMillis) {
        return purge(olderThanMillis, Integer.MAX_VALUE);
    }

    /** Makes the batch durable (fsync or the database's equivalent) with {@code lastSeq} as the store's latest seq. */
    void commit(long lastSeq);

    /** Discards the batch; must not throw (a broken connection is reported by the next {@link #begin()}). */
    void rollback();

    @Override
    void close();

    /** The last committed state of one device: its status kind and result text (null if none). */
    record DeviceState(StatusKind status, String result) {
        public DeviceState {
            Objects.requireNonNull(status, "status");
        }
    }

    /** The committed state the writer starts from. */
    record Committed(long lastSeq, Map<String, Long> agentMarks, Map<String, DeviceState> devices) {
        public Committed {
            if (lastSeq < 0) {
                throw new IllegalArgumentException("lastSeq < 0");
            }
            agentMarks = Map.copyOf(agentMarks);
            devices = Map.copyOf(devices);
        }
    }
}
