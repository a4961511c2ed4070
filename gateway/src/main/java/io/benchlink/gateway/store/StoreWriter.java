package io.benchlink.gateway.store;

import io.benchlink.common.concurrent.NamedThreadFactory;
import io.benchlink.common.json.StatusJson;
import io.benchlink.common.status.DeviceStatus;
import io.benchlink.common.status.StatusKind;
import io.benchlink.common.time.WallClock;
import io.benchlink.gateway.store.WriteCommand.AgentStatus;
import io.benchlink.gateway.store.WriteCommand.ClientStatus;
import io.benchlink.gateway.store.WriteCommand.LinkLost;
import io.benchlink.gateway.store.WriteCommand.LinkUp;
import io.benchlink.gateway.store.WriteCommand.Purge;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single owner of every write: assigns the gateway-wide seq, drops duplicate agent seqs, commits in groups
 * (one transaction and one fsync per batch), and only then acknowledges and publishes. WebSocket and HTTP
 * threads only {@link #submit} and never wait for the disk.
 *
 * <p>Owned by: {@code gateway-store-writer}. The in-memory mirrors ({@link #lastSeq}, agent high-water marks,
 * device states) change only on that thread; {@link #agentHighWater} is the one concurrent read of them.
 */
public final class StoreWriter implements AutoCloseable {
    public static final String LINK_LOST = "agent connection lost";
    public static final String LINK_BACK = "agent connection restored";
    private static final Logger LOG = LoggerFactory.getLogger(StoreWriter.class);
    private static final int QUEUE_CAPACITY = 65_536;

    /** Whether a lost link is still lost (no newer hello) at the moment the writer applies {@link LinkLost}. */
    public interface LinkCheck {
        boolean stillLost(String agentId, long generation);
    }

    /** Receives each committed batch in seq order, on the writer thread; must not block. */
    public interface CommitListener {
        void committed(List<StoredEvent> events);
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
    private final EventStore store;
    private final WallClock clock;
    private final Duration retention;
    private final int batchLimit;
    private final LinkCheck linkCheck;
    private final CommitListener listener;
    private final Thread thread;
    private final WriteBatch batch;
    private volatile boolean running = true;
    private volatile LongConsumer commitTime = nanos -> { };
    private long lastSeq;

    public StoreWriter(EventStore store, WallClock clock, Duration retention, int batchLimit, LinkCheck linkCheck,
            CommitListener listener) {
        this.store = store;
        this.clock = clock;
        this.retention = retention;
        this.batchLimit = batchLimit;
        this.linkCheck = linkCheck;
        this.listener = listener;
        try {
            Connection connection = EventStore.connect(store.file());
            this.batch = new WriteBatch(connection);
            this.lastSeq = EventStore.readMeta(connection, "last_seq");
            agentHighWater.putAll(EventStore.readAgents(connection));
            durableHighWater.putAll(agentHighWater);
        } catch (SQLException e) {
            throw new StoreException("cannot open store for writing (" + e.getMessage() + ")", e);
        }
        this.thread = NamedThreadFactory.thread("gateway-store-writer", false, this::run);
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
                WriteCommand first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                commands.add(first);
                queue.drainTo(commands, batchLimit - 1);
                apply(commands);
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

    private void apply(List<WriteCommand> commands) {
        long started = System.nanoTime();
        long seqBefore = lastSeq;
        BatchResult result = new BatchResult();
        try {
            for (WriteCommand command : commands) {
                applyOne(command, result);
            }
            batch.commit(lastSeq);
        } catch (SQLException e) {
            batch.rollback();
            lastSeq = seqBefore;
            agentHighWater.clear();
            agentHighWater.putAll(durableHighWater); // the committed marks: what the rolled-back batch started from
            batch.forgetDevices();
            LOG.error("store commit failed, {} commands not acknowledged ({})", commands.size(), e.getMessage());
            fenceFailedAgents(commands);
            failAll(commands, e.getMessage());
            return;
        }
        commitTime.accept(System.nanoTime() - started);
        for (AgentStatus agent : result.agentReceipts) {
            durableHighWater.merge(agent.agentId(), agentHighWater.getOrDefault(agent.agentId(), 0L), Math::max);
        }
        result.succeed();
        if (!result.events.isEmpty()) {
            listener.committed(result.events);
        }
    }

    private void applyOne(WriteCommand command, BatchResult result) throws SQLException {
        if (command instanceof AgentStatus agent) {
            long seen = agentHighWater.getOrDefault(agent.agentId(), 0L);
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
                batch.saveAgent(agent.agentId(), agent.agentSeq());
            }
            // CONTRACT §3: a repeated (agent_id, seq) is acknowledged again but stored once.
            result.agentReceipts.add(agent);
        } else if (command instanceof ClientStatus client) {
            StoredEvent event = client.idempotencyKey() == null ? null : batch.findIdempotent(client.idempotencyKey());
            if (event == null) {
                event = append(client.status(), null, 0);
                result.events.add(event);
                if (client.idempotencyKey() != null) {
                    batch.saveIdempotent(client.idempotencyKey(), event.seq(), clock.clock().millis());
                }
            }
            result.clientReceipts.add(Map.entry(client, event));
        } else if (command instanceof LinkLost lost) {
            if (linkCheck.stillLost(lost.agentId(), lost.generation())) {
                for (String device : lost.devices()) {
                    result.events.add(append(DeviceStatus.link(device, StatusKind.OFFLINE, LINK_LOST, clock.now()),
                            null, 0));
                }
            }
        } else if (command instanceof LinkUp up) {
            // A new hello: the old link's leftovers are all queued before this command (the old link was closed
            // before the agent could say hello again), and the new link resends from welcome.last_seq + 1.
            fences.remove(up.agentId());
            for (String device : up.devices()) {
                if (batch.lostByLink(device)) {
                    result.events.add(append(DeviceStatus.link(device, StatusKind.ONLINE, LINK_BACK, clock.now()),
                            null, 0));
                }
            }
        } else if (command instanceof Purge) {
            int dropped = batch.purge(clock.clock().millis() - retention.toMillis());
            if (dropped > 0) {
                LOG.info("retention: dropped {} events older than {} days", dropped, retention.toDays());
            }
        }
    }

    private StoredEvent append(DeviceStatus status, String agentId, long agentSeq) throws SQLException {
        long seq = ++lastSeq;
        DeviceStatus stored = status.stored(seq, clock.now());
        StoredEvent event = new StoredEvent(seq, stored.deviceId(), stored.status(), StatusJson.toJson(stored));
        batch.saveEvent(event, stored.result(), agentId, agentSeq, clock.clock().millis());
        return event;
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
        batch.close();
    }

    /** What one transaction produced, reported only after it committed (or failed). */
    private static final class BatchResult {
        final List<StoredEvent> events = new ArrayList<>();
        final List<AgentStatus> agentReceipts = new ArrayList<>();
        final List<AgentStatus> fenced = new ArrayList<>();
        final List<Map.Entry<ClientStatus, StoredEvent>> clientReceipts = new ArrayList<>();

        void succeed() {
            agentReceipts.forEach(a -> a.receipt().stored(a.agentSeq()));
            agentReceipts.forEach(a -> a.receipt().flush());
            fenced.forEach(a -> a.receipt().failed(a.agentSeq(), "an earlier status of this agent was not stored"));
            clientReceipts.forEach(e -> e.getKey().done().complete(e.getValue()));
        }

    }
}
