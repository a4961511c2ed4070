package io.benchlink.agent.spool;

import java.sql.SQLException;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The spool's limits (issue 4): counts depth and bytes, drops superseded online/offline statuses when full (never a
 * result), expires records older than the max age, and says so loudly. When nothing is left to drop it reports
 * "no room", and the writer keeps the append waiting, which blocks the reader of the tester.
 *
 * <p>Owned by: agent-spool-writer; the volatile/atomic read-outs may be read from any thread.
 */
final class SpoolSpace {
    private static final Logger log = LoggerFactory.getLogger(SpoolSpace.class);
    private static final long EXPIRY_CHECK_MS = 60_000;

    private final SpoolDb db;
    private final SpoolConfig config;
    private final Clock clock;
    private final String name;
    private long nextExpiryCheck;
    // The writer's working counts, changed inside the open transaction; readers see the committed copies below, so
    // depth() never says a record is gone (nor expired() that it expired) while readAfter() can still return it, and
    // a rolled-back drop is not counted (the retry drops and counts it again).
    private long depth;
    private long bytes;
    private long droppedSuperseded;
    private long expired;
    private volatile long committedDepth;
    private volatile long committedBytes;
    private volatile long committedDroppedSuperseded;
    private volatile long committedExpired;
    private volatile boolean full;

    SpoolSpace(SpoolDb db, SpoolConfig config, Clock clock) throws SQLException {
        this.db = db;
        this.config = config;
        this.clock = clock;
        this.name = config.dir().toString();
        recount();
        publish();
    }

    /** Records pending as of the last commit; any thread. */
    long depth() {
        return committedDepth;
    }

    /** Bytes pending as of the last commit; any thread. */
    long bytes() {
        return committedBytes;
    }

    /** Makes the working counts visible to readers; the writer calls it after each successful commit. */
    void publish() {
        committedDepth = depth;
        committedBytes = bytes;
        committedDroppedSuperseded = droppedSuperseded;
        committedExpired = expired;
    }

    boolean full() {
        return full;
    }

    /** Superseded link statuses dropped, as of the last commit; any thread. */
    long droppedSuperseded() {
        return committedDroppedSuperseded;
    }

    /** Records expired, as of the last commit; any thread. */
    long expired() {
        return committedExpired;
    }

    boolean expiryDue() {
        return clock.millis() >= nextExpiryCheck;
    }

    long millisToExpiryCheck() {
        return Math.max(1, nextExpiryCheck - clock.millis());
    }

    /** Snapshot of the counts, to restore after a rolled-back transaction. */
    long[] snapshot() {
        return new long[] {depth, bytes, droppedSuperseded, expired};
    }

    void restore(long[] snapshot) {
        depth = snapshot[0];
        bytes = snapshot[1];
        droppedSuperseded = snapshot[2];
        expired = snapshot[3];
    }

    void added(long cost) {
        depth++;
        bytes += cost;
    }

    /** Deletes every record up to {@code seq}; counts only the deleted range (primary-key scan, not the table). */
    void deleteUpTo(long seq) throws SQLException {
        long[] gone = db.countUpTo(seq);
        if (gone[0] > 0) {
            db.deleteUpTo(seq);
            depth -= gone[0];
            bytes -= gone[1];
        }
    }

    /**
     * True if a record of {@code cost} bytes fits, after dropping superseded link statuses if needed. An empty
     * spool takes any record, so one oversized status cannot block forever.
     */
    boolean makeRoom(long cost) throws SQLException {
        if (bytes + cost <= config.maxBytes() || depth == 0) {
            return true;
        }
        int dropped = db.deleteSupersededLinkStatuses();
        if (dropped > 0) {
            droppedSuperseded += dropped;
            recount();
            log.warn("spool {} - full ({} of {} bytes): dropped {} superseded online/offline statuses", name, bytes,
                    config.maxBytes(), dropped);
        }
        return bytes + cost <= config.maxBytes();
    }

    void markFull(boolean nowFull) {
        if (nowFull && !full) {
            log.warn("spool {} - full ({} of {} bytes, {} statuses) with nothing left to drop: testers are not read"
                    + " until the gateway acknowledges", name, bytes, config.maxBytes(), depth);
        } else if (!nowFull && full) {
            log.info("spool {} - has room again; reading testers", name);
        }
        full = nowFull;
    }

    void expireIfDue() throws SQLException {
        long now = clock.millis();
        if (now < nextExpiryCheck) {
            return;
        }
        nextExpiryCheck = now + Math.min(EXPIRY_CHECK_MS, Math.max(1, config.maxAge().toMillis() / 10));
        int dropped = db.deleteCreatedBefore(now - config.maxAge().toMillis());
        if (dropped > 0) {
            expired += dropped;
            recount();
            log.warn("spool {} - dropped {} statuses older than {} that no gateway acknowledged", name, dropped,
                    config.maxAge());
        }
    }

    private void recount() throws SQLException {
        depth = db.depth();
        bytes = db.bytes();
    }
}
