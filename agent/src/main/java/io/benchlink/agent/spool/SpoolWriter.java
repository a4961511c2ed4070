package io.benchlink.agent.spool;

import io.benchlink.common.json.StatusJson;
import io.benchlink.common.status.DeviceStatus;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The spool's only writer. Callers enqueue requests and wait on their future; this loop drains every request
 * waiting at that moment and applies them in ONE transaction (group commit), so N concurrent appends cost one
 * fsync, while each append still completes only after its commit. Appends that do not fit are parked in arrival
 * order and retried after acks free space, which is how a full spool blocks readers without losing anything.
 *
 * <p>Owned by: agent-spool-writer (all fields except the volatile/atomic read-outs and the request queue). Size and
 * age limits live in {@link SpoolSpace}.
 */
final class SpoolWriter implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(SpoolWriter.class);
    private static final int MAX_BATCH = 4096;
    private static final long RETRY_AFTER_FAILURE_MS = 1_000;
    private static final long ACK_DELAY_MS = 50;
    private static final Object WAKE = new Object();
    private static final Object STOP = new Object();

    /** One status waiting for its commit; {@code seq} is the agent seq it was given. */
    static final class Append {
        final DeviceStatus status;
        final String payload;
        final int size;
        final CompletableFuture<Long> done = new CompletableFuture<>();
        long seq;

        Append(DeviceStatus status) {
            this.status = status.withSeq(0);
            this.payload = StatusJson.toJson(this.status);
            this.size = payload.getBytes(StandardCharsets.UTF_8).length;
        }

        long cost() {
            return (long) size + SpoolDb.ROW_OVERHEAD;
        }
    }

    private record Sync(long gatewayLastSeq, CompletableFuture<Long> done) {
    }

    private final SpoolDb db;
    private final SpoolSpace space;
    private final Clock clock;
    private final LongSupplier nanoTime; // times the ack delay: System.nanoTime except in unit tests
    private final String name;
    private final BlockingQueue<Object> requests = new LinkedBlockingQueue<>();
    private final ArrayDeque<Append> parked = new ArrayDeque<>();
    private final AtomicLong ackTarget = new AtomicLong();
    private final AtomicBoolean wakePending = new AtomicBoolean();
    private final AtomicBoolean ackArmed = new AtomicBoolean();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    private long ackedDone;
    private long ackDueAt; // nanoTime when pending acks must be applied; 0 = none pending
    private boolean lastCommitFailed;
    private volatile boolean stopped;
    private volatile long lastSeq;
    private final AtomicLong commits = new AtomicLong();

    SpoolWriter(SpoolDb db, SpoolConfig config, Clock clock) throws SQLException {
        this(db, config, clock, System::nanoTime);
    }

    /** As above; {@code nanoTime} times the ack delay, so a unit test can step the loop without waiting. */
    SpoolWriter(SpoolDb db, SpoolConfig config, Clock clock, LongSupplier nanoTime) throws SQLException {
        this.db = db;
        this.clock = clock;
        this.nanoTime = nanoTime;
        this.name = config.dir().toString();
        this.lastSeq = db.lastSeq();
        this.space = new SpoolSpace(db, config, clock);
    }

    // ---- called by other threads -------------------------------------------------------------------------------

    CompletableFuture<Long> append(DeviceStatus status) {
        Append append = new Append(status);
        requests.add(append);
        failIfStopped(append.done);
        return append.done;
    }

    CompletableFuture<Long> sync(long gatewayLastSeq) {
        Sync sync = new Sync(gatewayLastSeq, new CompletableFuture<>());
        requests.add(sync);
        failIfStopped(sync.done());
        return sync.done();
    }

    /**
     * A request queued after the writer's final drain would wait forever. The writer sets {@code stopped} before
     * that drain, so a request either is seen by the drain or sees the flag here.
     */
    private void failIfStopped(CompletableFuture<Long> done) {
        if (stopped) {
            done.completeExceptionally(new SpoolException("spool " + name + " is closed"));
        }
    }

    /**
     * Non-blocking: acks coalesce into one target, so a burst of acks costs one delete. Only the first ack of a burst
     * wakes the writer (which then arms the ack delay), unless an append is waiting for the room an ack frees.
     */
    void ackUpTo(long seq) {
        boolean raised = seq > ackTarget.getAndAccumulate(seq, Math::max);
        if (raised && (ackArmed.compareAndSet(false, true) || space.full())) {
            wake();
        }
    }

    void stop() {
        requests.add(STOP);
    }

    void addListener(Runnable listener) {
        listeners.add(listener);
    }

    long lastSeq() {
        return lastSeq;
    }

    SpoolSpace space() {
        return space;
    }

    long commits() {
        return commits.get();
    }

    /** Requests (wake-ups included) waiting for the loop; for the unit tests of the ack wake-up. */
    int queued() {
        return requests.size();
    }

    // ---- the writer loop ---------------------------------------------------------------------------------------

    @Override
    public void run() {
        boolean stopping = false;
        while (!stopping) {
            try {
                stopping = step();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopping = true;
            } catch (Throwable t) {
                // One bad step must not end durability for the whole agent: log, keep parked appends, go on.
                log.error("spool {} - unexpected failure in the writer loop", name, t);
            }
        }
        failParked("spool closed");
    }

    /** One turn of the loop; true once it took a stop. Package-private so a unit test can run it turn by turn. */
    boolean step() throws InterruptedException {
        Object first = requests.poll(pollMillis(), TimeUnit.MILLISECONDS);
        List<Object> batch = new ArrayList<>();
        if (first != null) {
            batch.add(first);
        }
        requests.drainTo(batch, MAX_BATCH);
        wakePending.set(false);
        boolean stop = false;
        List<Sync> syncs = new ArrayList<>();
        for (Object request : batch) {
            if (request instanceof Append append) {
                parked.addLast(append);
            } else if (request instanceof Sync sync) {
                syncs.add(sync);
            } else if (request == STOP) {
                stop = true;
            }
        }
        if (stop || !syncs.isEmpty() || !parked.isEmpty() || lastCommitFailed || ackDue()
                || space.expiryDue()) {
            commitStep(syncs);
        }
        return stop;
    }

    /**
     * Acks alone wait up to {@value #ACK_DELAY_MS} ms so a stream of acks costs a few commits per second instead of
     * one fsync each; losing a not-yet-applied ack in a crash only means the gateway gets a harmless repeat.
     */
    private boolean ackDue() {
        if (ackTarget.get() <= ackedDone) {
            // An ack can raise the target before applyAcks reads it but arm the wake-up only after applyAcks cleared
            // it: then the wake-up stays armed with nothing pending, and no later ack would wake this thread (acks
            // waited up to a minute, for the next expiry check). Disarm, then look once more.
            ackArmed.set(false);
            if (ackTarget.get() <= ackedDone) {
                return false;
            }
        }
        long now = nanoTime.getAsLong();
        if (ackDueAt == 0) {
            ackDueAt = now + TimeUnit.MILLISECONDS.toNanos(ACK_DELAY_MS);
        }
        return now - ackDueAt >= 0;
    }

    /** How long the next turn waits for a request; package-private for the ack-delay unit tests. */
    long pollMillis() {
        if (lastCommitFailed) {
            return RETRY_AFTER_FAILURE_MS;
        }
        long wait = space.millisToExpiryCheck();
        if (ackDueAt != 0) {
            wait = Math.min(wait, Math.max(1, TimeUnit.NANOSECONDS.toMillis(ackDueAt - nanoTime.getAsLong()) + 1));
        }
        return wait;
    }

    /** Applies acks, expiry, syncs and as many parked appends as fit, all in one transaction. */
    private void commitStep(List<Sync> syncs) {
        long seqBefore = lastSeq;
        long ackedBefore = ackedDone;
        long[] spaceBefore = space.snapshot();
        List<Append> admitted = new ArrayList<>();
        List<Long> shifts = new ArrayList<>();
        try {
            applyAcks();
            space.expireIfDue();
            for (Sync sync : syncs) {
                shifts.add(applySync(sync.gatewayLastSeq()));
            }
            admitParked(admitted);
            if (!admitted.isEmpty()) {
                db.saveLastSeq(lastSeq);
            }
            db.commit();
            space.publish();
            commits.incrementAndGet();
            lastCommitFailed = false;
        } catch (SQLException | RuntimeException e) {
            db.rollbackQuietly();
            lastSeq = seqBefore;
            ackedDone = ackedBefore; // the rolled-back deletes are applied again by the retry
            space.restore(spaceBefore);
            for (int i = admitted.size() - 1; i >= 0; i--) {
                parked.addFirst(admitted.get(i));
            }
            syncs.forEach(s -> s.done().completeExceptionally(new SpoolException("spool write failed", e)));
            if (!lastCommitFailed) {
                log.warn("spool {} - commit failed, retrying; readers wait meanwhile ({})", name, e.getMessage());
            }
            lastCommitFailed = true;
            return;
        }
        complete(admitted, syncs, shifts);
    }

    private void complete(List<Append> admitted, List<Sync> syncs, List<Long> shifts) {
        for (Append append : admitted) {
            append.done.complete(append.seq);
        }
        for (int i = 0; i < syncs.size(); i++) {
            syncs.get(i).done().complete(shifts.get(i));
        }
        if (!admitted.isEmpty() || shifts.stream().anyMatch(s -> s > 0)) {
            for (Runnable listener : listeners) {
                try {
                    listener.run();
                } catch (RuntimeException e) {
                    log.warn("spool {} - append listener failed ({})", name, e.toString());
                }
            }
        }
    }

    private void applyAcks() throws SQLException {
        ackArmed.set(false); // before reading the target: a later ack wakes the writer again
        long target = ackTarget.get();
        if (target > ackedDone) {
            space.deleteUpTo(target);
            ackedDone = target;
        }
        ackDueAt = 0;
    }

    /**
     * PROTOCOL.md §3 welcome: the gateway holds everything up to its last_seq. A last_seq above every seq this spool
     * ever assigned means the spool was lost or replaced; pending records then move above it, or the gateway
     * would take them for duplicates and drop them.
     */
    private long applySync(long gatewayLastSeq) throws SQLException {
        long shift = 0;
        if (gatewayLastSeq > lastSeq) {
            shift = gatewayLastSeq;
            db.shift(shift);
            lastSeq += shift;
            db.saveLastSeq(lastSeq);
            log.warn("spool {} - gateway already holds seq {} but this spool only reached {}: the spool was lost"
                    + " or is shared; renumbering {} pending statuses above it", name, gatewayLastSeq,
                    lastSeq - shift, space.depth());
        }
        ackTarget.getAndAccumulate(gatewayLastSeq, Math::max);
        applyAcks();
        return shift;
    }

    /** Inserts parked appends in arrival order while they fit; the first that does not fit waits with the rest. */
    private void admitParked(List<Append> admitted) throws SQLException {
        while (!parked.isEmpty()) {
            Append next = parked.peekFirst();
            if (!space.makeRoom(next.cost())) {
                space.markFull(true);
                return;
            }
            long seq = lastSeq + 1;
            db.insert(seq, next.status.deviceId(), !next.status.status().isResult(), clock.millis(), next.size,
                    next.payload);
            parked.pollFirst(); // only now: an append whose insert fails stays parked for the retry
            lastSeq = seq;
            space.added(next.cost());
            next.seq = seq;
            admitted.add(next);
        }
        space.markFull(false);
    }

    private void wake() {
        if (wakePending.compareAndSet(false, true)) {
            requests.add(WAKE);
        }
    }

    private void failParked(String reason) {
        stopped = true;
        Append append;
        while ((append = parked.pollFirst()) != null) {
            append.done.completeExceptionally(new SpoolException(reason));
        }
        Object request;
        while ((request = requests.poll()) != null) {
            if (request instanceof Append a) {
                a.done.completeExceptionally(new SpoolException(reason));
            } else if (request instanceof Sync s) {
                s.done().completeExceptionally(new SpoolException(reason));
            }
        }
    }
}
