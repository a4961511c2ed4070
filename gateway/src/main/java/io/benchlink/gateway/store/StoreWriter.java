package io.benchlink.gateway.store;

import io.benchlink.common.concurrent.NamedThreadFactory;
import io.benchlink.common.json.StatusJson;
import io.benchlink.common.status.DeviceStatus;
import io.benchlink.common.time.WallClock;
import io.benchlink.gateway.store.WriteCommand.AgentStatus;
import io.benchlink.gateway.store.WriteCommand.ClientStatus;
import io.benchlink.gateway.store.WriteCommand.NewLink;
import io.benchlink.gateway.store.WriteCommand.Publish;
import io.benchlink.gateway.store.WriteCommand.Purge;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single owner of every write: assigns the gateway-wide seq, drops duplicate agent seqs, commits in groups
 * (one transaction and one fsync per batch through the store's {@link WriteSession}), and only then acknowledges
 * (through each status's {@link WriteCommand.Receipt}) and publishes (to the {@link CommitListener}). WebSocket
 * and HTTP threads only {@link #submit} and never wait for the disk. It decides nothing about agent links: the
 * agent side hands it finished statuses with a guard ({@link WriteCommand.Publish}).
 *
 * <p>Owned by: {@code gateway-store-writer}. The in-memory mirrors ({@link #lastSeq}, agent high-water marks,
 * device states) change only on that thread; {@link #agentHighWater} is the one concurrent read of them.
 */
public final class StoreWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StoreWriter.class);
    private static final int QUEUE_CAPACITY = 65_536;
    /**
     * Issue 14.2: an agent seq more than this far above the agent's committed mark is refused (error frame, no
     * ack), so one absurd seq cannot raise the mark and make every later real status a "duplicate". An agent
     * counts 1, 2, 3...; a wiped spool is renumbered just above the mark (welcome.last_seq + 1), and a store
     * restored from a backup is behind by what the agent sent since, so a billion is far beyond any real gap
     * (115 days at 100 statuses/s). An agent the store has no mark for (new, or the store was recreated) may start
     * anywhere below {@link #MAX_AGENT_SEQ}.
     */
    public static final long MAX_SEQ_JUMP = 1_000_000_000L;
    /** Issue 14.2: no real agent reaches 2^53 (285 years at a million statuses/s); above it seq is refused. */
    public static final long MAX_AGENT_SEQ = 1L << 53;
    // Issue 18: events the retention sweep's first chunk deletes; later chunks are sized by time (SweepPace)
    static final int PURGE_CHUNK = SweepPace.FIRST_CHUNK;

    /** Receives each committed batch in seq order, on the writer thread; must not block. */
    public interface CommitListener {
        void committed(List<StoredEvent> events);

        /**
         * Issue 18: as {@link #committed(List)}, told whether commands already wait behind this batch (the writer
         * is busy: work handed to other threads now overlaps the next commit) or not (the writer is idle: doing it
         * here, at once, is the quickest).
         */
        default void committed(List<StoredEvent> events, boolean moreWaiting) {
            committed(events);
        }
    }

    private final BlockingQueue<WriteCommand> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    // Writer-owned working marks (include the batch being applied) and the committed ones a welcome may report.
    // A welcome must never carry an uncommitted mark: the agent deletes its spool up to it, and a crash before
    // the commit would then lose those statuses.
    private final Map<String, Long> agentHighWater = new HashMap<>();
    private final Map<String, Long> durableHighWater = new ConcurrentHashMap<>();
    // Agent → lowest seq of a failed commit. Statuses above it (queued behind it from the same link) must not be
    // stored until the agent resends from there: storing them would raise the high-water mark past the failed
    // ones, and their resends would then be taken for duplicates and lost.
    private final Map<String, Long> fences = new HashMap<>();
    // Each device's last state as committed, and as changed by the batch being applied (the link decisions read
    // both); the batch's changes are dropped when it fails.
    private final Map<String, WriteSession.DeviceState> devices = new HashMap<>();
    private final Map<String, WriteSession.DeviceState> devicesOfBatch = new HashMap<>();
    private final WriteSession session;
    private final WallClock clock;
    private final Duration retention;
    private final int batchLimit;
    private final CommitListener listener;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile LongConsumer commitTime = nanos -> { };
    // Issue 14.5: why the last batch with events failed to commit, null once one commits again.
    private volatile String failure;
    private final LongAdder failedCommits = new LongAdder();
    private long lastSeq;
    private long sweepCutoff = -1; // retention sweep in progress: delete what was stored before this; -1: none
    private long sweepDropped;
    private final SweepPace pace;
    private boolean inChunkBatch; // continueSweep's batch: the one place a chunk is deleted
    private int chunkDropped;
    private final SweepReport report = new SweepReport();

    public StoreWriter(EventStore store, WallClock clock, Duration retention, int batchLimit,
            CommitListener listener) {
        this(store.openWriter(), clock, retention, batchLimit, listener);
    }

    /** On an open session (unit tests give an in-memory one); takes ownership of it. */
    StoreWriter(WriteSession session, WallClock clock, Duration retention, int batchLimit, CommitListener listener) {
        this(session, clock, retention, batchLimit, listener, System::nanoTime);
    }

    /** With the clock that times the retention sweep's chunks ({@link SweepPace}; unit tests give their own). */
    StoreWriter(WriteSession session, WallClock clock, Duration retention, int batchLimit, CommitListener listener,
            LongSupplier sweepNanos) {
        this.pace = new SweepPace(sweepNanos);
        this.clock = clock;
        this.retention = retention;
        this.batchLimit = batchLimit;
        this.listener = listener;
        this.session = session;
        try {
            WriteSession.Committed committed = session.load();
            long floor = seqFloor(clock.clock().instant());
            if (floor > committed.lastSeq()) {
                LOG.info("seq continues above {} (the clock's floor; the store's last seq was {})", floor,
                        committed.lastSeq());
            }
            this.lastSeq = Math.max(committed.lastSeq(), floor);
            agentHighWater.putAll(committed.agentMarks());
            durableHighWater.putAll(agentHighWater);
            devices.putAll(committed.devices());
        } catch (RuntimeException e) {
            session.close();
            throw e;
        }
        this.thread = NamedThreadFactory.thread("gateway-store-writer", false, this::run);
    }

    /**
     * Issue 14.1 / PROTOCOL.md §2: seq issued after any start must exceed every seq an earlier store of this gateway
     * issued, even when the store was deleted or restored from a backup, or a 1C client resuming with an old
     * {@code since} would silently skip events. So every start raises seq to at least the wall clock in
     * microseconds since the epoch. An earlier store started at T0 and issued n seqs by T1, reaching at most
     * floor(T0) + n, which stays below floor(T1) as long as it stored fewer than one event per microsecond on
     * average since that start (the writer's ceiling is about a third of that). Gaps are allowed by the contract.
     * Seq stays below 2^53 (exact in JavaScript) until the year 2255; 1C's numbers are decimal and exact. A clock
     * set far back at a start only loses the guarantee for a lost store: a kept store's own last seq still counts.
     */
    static long seqFloor(Instant now) {
        return Math.max(0, now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000);
    }

    public void start() {
        thread.start();
    }

    /** Queues a command; false when the writer is saturated or stopped (the caller refuses, never waits). */
    public boolean submit(WriteCommand command) {
        return running && queue.offer(command);
    }

    /** Highest agent seq durably stored (committed) for {@code agentId}, 0 if none. Safe from any thread. */
    public long agentHighWater(String agentId) {
        return durableHighWater.getOrDefault(agentId, 0L);
    }

    /**
     * Issue 14.5: why the store cannot commit (disk full, I/O error, read-only file), or empty while it can. Set by a
     * failed commit; cleared by the next commit that stores an event, so it never reports healthy on an empty batch.
     */
    public Optional<String> failure() {
        return Optional.ofNullable(failure);
    }

    /** Batches whose commit failed (none of their statuses was acknowledged). */
    public long failedCommits() {
        return failedCommits.sum();
    }

    /** How many commands the queue holds at most (the agent side divides it into shares, issue 14.4). */
    public int queueCapacity() {
        return QUEUE_CAPACITY;
    }

    public int queueDepth() {
        return queue.size();
    }

    /** Receives the duration of each committed batch (its inserts and the durable commit), on the writer thread. */
    public void observeCommitTime(LongConsumer observer) {
        this.commitTime = observer;
    }

    private void run() {
        List<WriteCommand> commands = new ArrayList<>(batchLimit);
        while (running || !queue.isEmpty()) {
            try {
                WriteCommand first = queue.poll(pollNanos(), TimeUnit.NANOSECONDS);
                if (first != null) {
                    commands.add(first);
                    queue.drainTo(commands, batchLimit - 1);
                    apply(commands);
                }
                if (running && sweepDue()) {
                    continueSweep(); // issue 18: the sweep's next chunk, between batches
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            } catch (Throwable t) {
                // One bad batch must not stop the store: nothing of it was acknowledged, agents will resend.
                LOG.error("store batch of {} failed", commands.size(), t);
            } finally {
                commands.clear();
            }
        }
    }

    /** Applies one batch in one transaction; package-private so unit tests can drive it without the thread. */
    void apply(List<WriteCommand> commands) {
        long started = System.nanoTime();
        long seqBefore = lastSeq;
        BatchResult result = new BatchResult();
        try {
            lastSeq = Math.max(lastSeq, session.begin());
            for (WriteCommand command : commands) {
                applyOne(command, result);
            }
            session.commit(lastSeq);
        } catch (RuntimeException e) { // StoreException, or a bug: either way nothing of the batch may count
            session.rollback();
            failedCommits.increment();
            if (failure == null) {
                LOG.error("store failing: statuses are refused until a commit succeeds ({})", e.getMessage());
            }
            failure = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            lastSeq = seqBefore;
            agentHighWater.clear();
            agentHighWater.putAll(durableHighWater); // the committed marks: what the rolled-back batch started from
            devicesOfBatch.clear();
            LOG.error("store commit failed, {} commands not acknowledged ({})", commands.size(), e.getMessage());
            fenceFailedAgents(commands);
            failAll(commands, e.getMessage());
            return;
        }
        commitTime.accept(System.nanoTime() - started);
        devices.putAll(devicesOfBatch);
        devicesOfBatch.clear();
        if (failure != null && !result.events.isEmpty()) {
            LOG.info("store recovered: commits succeed again");
            failure = null;
        }
        for (String agentId : result.marksRead) {
            durableHighWater.merge(agentId, agentHighWater.getOrDefault(agentId, 0L), Math::max);
        }
        for (AgentStatus agent : result.agentReceipts) {
            durableHighWater.merge(agent.agentId(), agentHighWater.getOrDefault(agent.agentId(), 0L), Math::max);
        }
        // Issue 18: deliveries first, then acks. Subscribers get their frames written by this thread at once
        // (subscribe.Outlet), while an ack only queues for the network thread; both wait for the same commit.
        try {
            if (!result.events.isEmpty()) {
                listener.committed(result.events, !queue.isEmpty());
            }
        } finally {
            result.succeed(); // committed is committed: acknowledged even if a subscriber's delivery threw
        }
    }

    private void applyOne(WriteCommand command, BatchResult result) {
        if (command instanceof AgentStatus agent) {
            long seen = agentHighWater.getOrDefault(agent.agentId(), 0L);
            String implausible = implausible(agent.agentSeq(), seen);
            if (implausible != null) {
                LOG.warn("{} - status seq {} refused: {}", agent.agentId(), agent.agentSeq(), implausible);
                result.refused.add(Map.entry(agent, implausible));
                return;
            }
            Long fence = fences.get(agent.agentId());
            if (fence != null && agent.agentSeq() > fence) {
                result.fenced.add(agent); // not stored, not acknowledged: the agent resends it after the fenced one
                return;
            }
            if (fence != null && agent.agentSeq() > seen) {
                fences.remove(agent.agentId()); // the agent resends from the failed one, in order: fence done
            }
            if (agent.agentSeq() > seen) {
                result.events.add(append(agent.status(), agent.agentId(), agent.agentSeq()));
                agentHighWater.put(agent.agentId(), agent.agentSeq());
                session.saveAgentMark(agent.agentId(), agent.agentSeq());
            }
            // PROTOCOL.md §3: a repeated (agent_id, seq) is acknowledged again but stored once.
            result.agentReceipts.add(agent);
        } else if (command instanceof ClientStatus client) {
            StoredEvent event = client.idempotencyKey() == null ? null
                    : session.findIdempotent(client.idempotencyKey()).orElse(null);
            if (event == null) {
                event = append(client.status(), null, 0);
                result.events.add(event);
                if (client.idempotencyKey() != null) {
                    session.saveIdempotent(client.idempotencyKey(), event.seq(), clock.clock().millis());
                }
            }
            result.clientReceipts.add(Map.entry(client, event));
        } else if (command instanceof Publish publish) {
            for (DeviceStatus status : publish.statuses()) {
                if (publish.guard().admit(status.deviceId(), lastState(status.deviceId()))) {
                    result.events.add(append(status, null, 0));
                }
            }
        } else if (command instanceof NewLink link) {
            // The old link's leftovers are all queued before this command (the old link was closed before the
            // agent could say hello again), and the new link resends from welcome.last_seq + 1.
            fences.remove(link.agentId());
            // With several gateways on one database the agent may have moved here from another one: dedup against
            // what the store holds for it, not only what this writer stored.
            long stored = session.agentMark(link.agentId());
            if (stored > agentHighWater.getOrDefault(link.agentId(), 0L)) {
                agentHighWater.put(link.agentId(), stored);
                result.marksRead.add(link.agentId());
            }
        } else if (command instanceof Purge) {
            if (inChunkBatch) {
                deleteChunk();
            } else {
                startSweep();
            }
        }
    }

    /**
     * Issue 18: the retention sweep, one timed chunk at a time. A {@link Purge} (hourly, and at start) only starts a
     * sweep: it fixes the cutoff and deletes nothing in the batch it came with. Every chunk, the first included, is
     * a batch of its own ({@link #continueSweep}) that the writer runs between batches when {@link SweepPace} says
     * it is due, so a chunk never lengthens a batch of statuses, every chunk is timed whole, and a sweep of a million
     * events takes at most a tenth of the writer's time. Before, the first chunk (a fixed 500) ran inside the
     * status batch the {@link Purge} came with, and a {@link Purge} during a sweep did the same and fed the pace the
     * delete's time without the commit's (docs/PERFORMANCE.md §4). A {@link Purge} during a sweep does nothing.
     */
    private void startSweep() {
        if (sweepCutoff < 0) {
            sweepCutoff = clock.clock().millis() - retention.toMillis();
            sweepDropped = 0;
            report.start(pace.now());
        }
    }

    private void deleteChunk() {
        int limit = pace.chunk();
        int dropped = session.purge(sweepCutoff, limit);
        chunkDropped = dropped;
        sweepDropped += dropped;
        if (dropped < limit) {
            sweepCutoff = -1; // nothing older left: the sweep ends once this batch commits (continueSweep logs it)
        }
    }

    /**
     * Issue 18: the sweep's next chunk as a batch of its own, timed whole: its delete and the commit that writes the
     * pages it changed (the larger part on a big store), so {@link SweepPace} sizes chunks by what they really hold
     * the writer for. Package-private for the unit tests.
     */
    void continueSweep() {
        if (sweepCutoff < 0) {
            return;
        }
        long failedBefore = failedCommits.sum();
        inChunkBatch = true;
        chunkDropped = 0;
        long started = pace.now();
        try {
            apply(List.of(new Purge()));
        } finally {
            inChunkBatch = false;
        }
        long took = pace.now() - started;
        pace.took(chunkDropped, took);
        report.chunk(took);
        if (failedCommits.sum() != failedBefore) {
            // rolled back (apply logged why): the sweep ends here and the next hourly Purge starts it again, rather
            // than a failing chunk every 50 ms while the store fails
            sweepDropped -= chunkDropped;
            sweepCutoff = -1;
        } else if (sweepCutoff < 0) {
            if (sweepDropped > 0) {
                LOG.info("retention: dropped {} events older than {} days ({})", sweepDropped, retention.toDays(),
                        report.summary());
            }
        } else if (report.due(pace.now())) {
            LOG.info("retention: {} events dropped so far ({})", sweepDropped, report.summary());
        }
    }

    /** Issue 18: whether a sweep is in progress and its next chunk is due. */
    boolean sweepDue() {
        return sweepCutoff >= 0 && pace.due();
    }

    /** How long the writer may wait for a command: until the sweep's next chunk is due, at most 100 ms. */
    private long pollNanos() {
        long idle = TimeUnit.MILLISECONDS.toNanos(100);
        return sweepCutoff < 0 ? idle : Math.min(idle, pace.untilDue());
    }

    /** Issue 18: events the sweep's next chunk may delete (sized by {@link SweepPace}). */
    int sweepChunk() {
        return pace.chunk();
    }

    private StoredEvent append(DeviceStatus status, String agentId, long agentSeq) {
        long seq = ++lastSeq;
        DeviceStatus stored = status.stored(seq, clock.now());
        StoredEvent event = new StoredEvent(seq, stored.deviceId(), stored.status(), StatusJson.toJson(stored));
        session.append(event, stored.result(), agentId, agentSeq, clock.clock().millis());
        devicesOfBatch.put(stored.deviceId(), new WriteSession.DeviceState(stored.status(), stored.result()));
        return event;
    }

    /** Why an agent seq cannot be real given the agent's mark, or null when it may be. */
    static String implausible(long agentSeq, long mark) {
        if (agentSeq > MAX_AGENT_SEQ) {
            return "seq " + agentSeq + " is above " + MAX_AGENT_SEQ + "; not stored";
        }
        if (mark > 0 && agentSeq - mark > MAX_SEQ_JUMP) {
            return "seq " + agentSeq + " is more than " + MAX_SEQ_JUMP + " above the last stored seq " + mark
                    + " of this agent; not stored";
        }
        return null;
    }

    private WriteSession.DeviceState lastState(String deviceId) {
        WriteSession.DeviceState state = devicesOfBatch.get(deviceId);
        return state != null ? state : devices.get(deviceId);
    }

    private void fenceFailedAgents(List<WriteCommand> commands) {
        for (WriteCommand command : commands) {
            if (command instanceof AgentStatus agent
                    && agent.agentSeq() > agentHighWater.getOrDefault(agent.agentId(), 0L)) {
                fences.merge(agent.agentId(), agent.agentSeq(), Math::min);
            }
        }
    }

    private static void failAll(List<WriteCommand> commands, String reason) {
        for (WriteCommand command : commands) {
            if (command instanceof AgentStatus agent) {
                agent.receipt().failed(agent.agentSeq(), reason);
            } else if (command instanceof ClientStatus client) {
                client.done().completeExceptionally(new StoreException("store write failed (" + reason + ")", null));
            }
        }
    }

    /** Stops taking commands, writes what is queued, and waits for the thread (bounded). */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
            if (thread.isAlive()) {
                LOG.warn("store writer did not finish within 10 s; {} commands left", queue.size());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        session.close();
    }

    /** What one transaction produced, reported only after it committed (or failed). */
    private static final class BatchResult {
        final List<StoredEvent> events = new ArrayList<>();
        final List<AgentStatus> agentReceipts = new ArrayList<>();
        final List<AgentStatus> fenced = new ArrayList<>();
        final List<String> marksRead = new ArrayList<>();
        final List<Map.Entry<AgentStatus, String>> refused = new ArrayList<>();
        final List<Map.Entry<ClientStatus, StoredEvent>> clientReceipts = new ArrayList<>();

        void succeed() {
            agentReceipts.forEach(a -> a.receipt().stored(a.agentSeq()));
            agentReceipts.forEach(a -> a.receipt().flush());
            fenced.forEach(a -> a.receipt().failed(a.agentSeq(), "an earlier status of this agent was not stored"));
            refused.forEach(e -> e.getKey().receipt().refused(e.getKey().agentSeq(),
                    e.getKey().status().deviceId(), e.getValue()));
            clientReceipts.forEach(e -> e.getKey().done().complete(e.getValue()));
        }

    }
}
