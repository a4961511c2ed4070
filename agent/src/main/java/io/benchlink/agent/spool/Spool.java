package io.benchlink.agent.spool;

import io.benchlink.common.json.Json;
import io.benchlink.common.json.StatusJson;
import io.benchlink.common.status.DeviceStatus;
import io.benchlink.common.time.WallClock;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's disk spool (issue 4): every status is durable before {@link #accept} returns, gets the agent seq
 * (1, 2, 3, ... across restarts, never reused) and stays until the gateway acknowledged it.
 *
 * <p>Why SQLite (WAL, synchronous=FULL) rather than an own append-only file: SQLite already gives checksummed WAL
 * frames (a torn tail after a crash is ignored and every completed commit is kept), atomic multi-row commits for
 * group commit, and indexed deletes for acks, expiry and dropping superseded link statuses, all of which a
 * hand-made log would need compaction code for. The price, a JDBC driver with a native library, is already paid
 * by the gateway's store.
 *
 * <p>Threads: writes go through one writer thread {@code agent-spool-writer} that commits whatever is waiting
 * in one transaction (see {@link SpoolWriter}); {@link #readAfter} uses a second connection (WAL readers do not
 * block the writer) guarded by this object's lock. All methods are thread-safe.
 */
public final class Spool implements StatusSink, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Spool.class);
    private static final long CLOSE_WAIT_MS = 10_000;
    private static final WallClock PARSER = new WallClock(Clock.systemUTC()); // local times: the zone is unused

    private final SpoolConfig config;
    private final FileChannel lockFile;
    private final FileLock lock;
    private final SpoolDb db;
    private final SpoolWriter writer;
    private final Thread writerThread;
    private final Connection reader;
    private final PreparedStatement readAfter;
    private volatile boolean closed;

    private Spool(SpoolConfig config, Clock clock, FileChannel lockFile, FileLock lock) throws SQLException {
        this.config = config;
        this.lockFile = lockFile;
        this.lock = lock;
        this.db = SpoolDb.open(config.dir());
        this.writer = new SpoolWriter(db, config, clock);
        this.reader = SpoolDb.connect(config.dir());
        this.readAfter = reader.prepareStatement("SELECT seq, payload FROM status WHERE seq > ? ORDER BY seq LIMIT ?");
        this.writerThread = new Thread(writer, "agent-spool-writer");
        writerThread.setDaemon(true);
        writerThread.setUncaughtExceptionHandler((t, e) -> log.error("{} died", t.getName(), e));
        writerThread.start();
        log.info("spool {} - opened: {} statuses pending, last seq {}", config.dir(), writer.space().depth(),
                writer.lastSeq());
    }

    /** Opens (or creates) the spool in {@code config.dir()}; fails with a one-line reason if it cannot. */
    public static Spool open(SpoolConfig config) {
        return open(config, Clock.systemUTC());
    }

    /** As {@link #open(SpoolConfig)}; {@code clock} stamps records for the max-age limit. */
    public static Spool open(SpoolConfig config, Clock clock) {
        FileChannel channel = null;
        try {
            Files.createDirectories(config.dir());
            channel = FileChannel.open(config.dir().resolve("spool.lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            FileLock lock = tryLock(channel);
            if (lock == null) {
                throw new SpoolException("spool dir " + config.dir() + " is in use by another agent");
            }
            return new Spool(config, clock, channel, lock);
        } catch (IOException | SQLException e) {
            closeQuietly(channel);
            throw new SpoolException("cannot open spool in " + config.dir() + " (" + e.getMessage() + ")", e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    /** Durably stores {@code status}; blocks while the spool is full. See {@link #append}. */
    @Override
    public void accept(DeviceStatus status) throws InterruptedException {
        append(status);
    }

    /**
     * Durably stores {@code status} and returns its agent seq. Returns only after the commit that holds it; blocks
     * while the spool is full. If interrupted while waiting, the status may still be stored.
     *
     * @throws SpoolException if the spool was closed before the status was stored
     */
    public long append(DeviceStatus status) throws InterruptedException {
        requireOpen();
        return await(writer.append(status));
    }

    /** Up to {@code max} records with a seq above {@code seq}, in seq order (there may be gaps). */
    public synchronized List<SpoolRecord> readAfter(long seq, int max) {
        requireOpen();
        List<SpoolRecord> records = new ArrayList<>(Math.min(max, 1024));
        try {
            readAfter.setLong(1, seq);
            readAfter.setInt(2, max);
            try (ResultSet rows = readAfter.executeQuery()) {
                while (rows.next()) {
                    addRecord(records, rows.getLong(1), rows.getString(2));
                }
            }
        } catch (SQLException e) {
            throw new SpoolException("spool " + config.dir() + " - read failed (" + e.getMessage() + ")", e);
        }
        return records;
    }

    /** The gateway stored every record up to {@code seq}: they leave the spool (asynchronously, coalesced). */
    public void ackUpTo(long seq) {
        writer.ackUpTo(seq);
    }

    /**
     * Applies a PROTOCOL.md §3 welcome: records up to {@code gatewayLastSeq} leave the spool, and if the gateway knows
     * a seq this spool never assigned, pending records are renumbered above it. Blocks until applied.
     *
     * @return how far pending records were moved up (0 normally)
     */
    public long syncWithGateway(long gatewayLastSeq) throws InterruptedException {
        requireOpen();
        return await(writer.sync(gatewayLastSeq));
    }

    /** Runs {@code listener} on the writer thread after each commit that added records; it must not block. */
    public void addAppendListener(Runnable listener) {
        writer.addListener(listener);
    }

    /** The highest seq assigned so far (0 if none ever). */
    public long lastSeq() {
        return writer.lastSeq();
    }

    /** Records not yet acknowledged. */
    public long depth() {
        return writer.space().depth();
    }

    /** Counted size: payload bytes plus a fixed per-record overhead, compared with {@code maxBytes}. */
    public long bytes() {
        return writer.space().bytes();
    }

    /** True while an append waits for room (nothing left to drop). */
    public boolean full() {
        return writer.space().full();
    }

    /** Superseded online/offline statuses dropped because the spool was full, since open. */
    public long droppedSuperseded() {
        return writer.space().droppedSuperseded();
    }

    /** Records dropped for exceeding {@code maxAge}, since open. */
    public long expired() {
        return writer.space().expired();
    }

    /** Transactions committed since open (group commit: under load far fewer than appends). */
    public long commits() {
        return writer.commits();
    }

    public SpoolConfig config() {
        return config;
    }

    /** Stops the writer after it has committed what was queued; appends still blocked on a full spool fail. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        writer.stop();
        try {
            writerThread.join(CLOSE_WAIT_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (writerThread.isAlive()) {
            log.warn("spool {} - writer did not stop within {} ms", config.dir(), CLOSE_WAIT_MS);
        }
        try {
            readAfter.close();
            reader.close();
            db.close();
            lock.release();
        } catch (SQLException | IOException e) {
            log.warn("spool {} - close failed ({})", config.dir(), e.getMessage());
        }
        closeQuietly(lockFile);
    }

    private void addRecord(List<SpoolRecord> records, long seq, String payload) {
        try {
            DeviceStatus status = StatusJson.fromJson(Json.parseObject(payload), PARSER, null);
            records.add(new SpoolRecord(seq, status));
        } catch (RuntimeException e) {
            // Only a damaged database gets here; skipping beats blocking every later status behind it.
            log.error("spool {} - record {} is unreadable and is skipped ({})", config.dir(), seq, e.getMessage());
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new SpoolException("spool " + config.dir() + " is closed");
        }
    }

    private static long await(CompletableFuture<Long> future) throws InterruptedException {
        try {
            return future.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof SpoolException s ? s : new SpoolException(String.valueOf(cause), cause);
        }
    }

    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            return null;
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing to do: the lock goes with the process anyway
            }
        }
    }
}
