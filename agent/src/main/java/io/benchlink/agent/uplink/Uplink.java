package io.benchlink.agent.uplink;

import io.benchlink.agent.retry.Backoff;
import io.benchlink.agent.spool.Spool;
import io.benchlink.agent.spool.SpoolRecord;
import io.benchlink.common.protocol.Ack;
import io.benchlink.common.protocol.AgentFrame;
import io.benchlink.common.protocol.AgentFrameCodec;
import io.benchlink.common.protocol.ErrorFrame;
import io.benchlink.common.protocol.FrameException;
import io.benchlink.common.protocol.Goodbye;
import io.benchlink.common.protocol.Hello;
import io.benchlink.common.protocol.StatusFrame;
import io.benchlink.common.protocol.Welcome;
import io.benchlink.common.time.WallClock;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongUnaryOperator;
import javax.net.ssl.SSLSocketFactory;
import org.java_websocket.exceptions.WebsocketNotConnectedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the spool to a gateway over CONTRACT §3: hello, welcome, then a window of status frames in flight; each
 * ack lets the spool delete up to the contiguous acknowledged seq. Every failure (refused connect, error frame, no
 * welcome in time, lost link) leads to a backoff with full jitter and the next gateway URL; a new link resends from
 * {@code welcome.last_seq + 1}, so nothing is lost and a repeat is harmless (the gateway stores it once).
 *
 * <p>Threads: one thread {@code agent-uplink} owns the connection, the window and the state machine. Java-WebSocket
 * callbacks and the spool's append listener only put events on its queue. Getters are safe from any thread.
 *
 * <p>Lifecycle: open the spool, {@link #start()}, ... , {@link #close()} the uplink, then close the spool (the uplink
 * reads the spool until it has stopped).
 */
public final class Uplink implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Uplink.class);
    private static final long CLOSE_WAIT_MS = 5_000;
    private static final long LINGER_MS = 2_000;
    /** How long a stop waits for the acks of statuses in flight before it says goodbye (within CLOSE_WAIT_MS). */
    private static final long DRAIN_MS = 2_000;
    /** The goodbye's reason (docs/PROTOCOL.md §3); the gateway logs it, its offline says "agent stopped". */
    static final String GOODBYE_REASON = "agent stopped";
    private static final long IDLE_POLL_MS = 60_000;
    /** How long a status refused for its device's owner waits before it goes back into the spool (no hot loop). */
    static final long CONFLICT_RETRY_MS = 5_000;

    private final UplinkConfig config;
    private final Spool spool;
    private final WallClock clock;
    private final AgentFrameCodec codec;
    private final Backoff backoff;
    private final SendWindow window = new SendWindow();
    private final BlockingQueue<UplinkEvent> events = new LinkedBlockingQueue<>();
    private final AtomicBoolean spoolSignalled = new AtomicBoolean();
    private final Thread thread;
    private final SSLSocketFactory trustedCa; // issue 7: null means the JVM's default trust store

    // Owned by agent-uplink.
    private GatewayConnection connection;
    private URI endpoint;
    private long link;
    private boolean welcomed;
    private int gatewayIndex;
    private long deadlineNanos;
    private long attempts;
    private long ackedToSpool;
    private boolean stopping; // a stop is under way: no new statuses go out, only acks come in
    private boolean goodbyeOffered; // the current link's welcome lists the goodbye frame
    // CONTRACT §3 device ownership: seq -> when it goes back into the spool under a new seq. Until then it stays
    // in flight, so the spool keeps it; its device is owned by another agent for now.
    private final TreeMap<Long, Long> conflicts = new TreeMap<>();
    private final PlainTokenWarning plainToken = new PlainTokenWarning();
    // Issue 14.3: device -> the owner the gateway named, for devices refused on this link; seq -> device of each
    // status in flight, so the board can count what is held per device and an ack can end a conflict.
    private final Map<String, String> conflictOwners = new HashMap<>();
    private final Map<Long, String> inFlightDevices = new HashMap<>();
    private final Set<String> otherRefusals = new HashSet<>(); // devices with a refusal that is not ownership (logged)

    private volatile LinkState state = LinkState.IDLE;
    private volatile URI gateway;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong acked = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private volatile List<OwnershipConflict> ownershipConflicts = List.of();

    public Uplink(UplinkConfig config, Spool spool, WallClock clock) {
        this(config, spool, clock, Backoff.fullJitter(config.backoffMin(), config.backoffMax()));
    }

    /** {@code jitter} maps a backoff cap to a delay in [0, cap]; tests may pin it. */
    Uplink(UplinkConfig config, Spool spool, WallClock clock, LongUnaryOperator jitter) {
        this(config, spool, clock, new Backoff(config.backoffMin(), config.backoffMax(), jitter));
    }

    private Uplink(UplinkConfig config, Spool spool, WallClock clock, Backoff backoff) {
        this.config = config;
        this.spool = spool;
        this.clock = clock;
        this.codec = new AgentFrameCodec(clock);
        this.backoff = backoff;
        this.trustedCa = config.trustedCa() == null ? null : TrustedCa.socketFactory(config.trustedCa());
        this.thread = new Thread(this::run, "agent-uplink");
        thread.setDaemon(true);
        thread.setUncaughtExceptionHandler((t, e) -> log.error("{} died", t.getName(), e));
    }

    /** Starts connecting to the first gateway; returns at once. */
    public synchronized void start() {
        if (state != LinkState.IDLE) {
            throw new IllegalStateException("uplink already started");
        }
        state = LinkState.CONNECTING;
        spool.addAppendListener(this::spoolChanged);
        thread.start();
    }

    /**
     * Stops the uplink thread, bounded by about {@value #CLOSE_WAIT_MS} ms: on a working link to a gateway that
     * understands it, waits up to {@value #DRAIN_MS} ms for the acks of statuses in flight, then sends a goodbye frame
     * (so the gateway takes this agent's devices offline as stopped, not lost); then closes with 1001. Statuses not
     * acknowledged by then stay in the spool and are resent by the next run.
     */
    @Override
    public synchronized void close() {
        if (!thread.isAlive()) {
            state = LinkState.STOPPED;
            return;
        }
        events.add(new UplinkEvent.Stop());
        try {
            thread.join(CLOSE_WAIT_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            log.warn("uplink - did not stop within {} ms; interrupting", CLOSE_WAIT_MS);
            thread.interrupt();
        }
    }

    public LinkState state() {
        return state;
    }

    /** The gateway of the current or last attempt (null before the first). */
    public URI gateway() {
        return gateway;
    }

    /** Status frames sent, repeats after a reconnect included. */
    public long sent() {
        return sent.get();
    }

    /** Acks received for statuses in flight. */
    public long acked() {
        return acked.get();
    }

    /** Statuses the gateway refused one by one (device owned by another agent): kept and retried. */
    public long refused() {
        return refused.get();
    }

    /** Issue 14.3: the devices whose statuses the gateway currently refuses for another owner, in device order. */
    public List<OwnershipConflict> ownershipConflicts() {
        return ownershipConflicts;
    }

    /** Connection attempts after the first. */
    public long reconnects() {
        return reconnects.get();
    }

    // ---- the agent-uplink thread -------------------------------------------------------------------------------

    private void run() {
        connect();
        while (true) {
            try {
                UplinkEvent event = events.poll(waitMillis(), TimeUnit.MILLISECONDS);
                if (event instanceof UplinkEvent.Stop) {
                    break;
                }
                if (event != null) {
                    handle(event);
                }
                checkTimers();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (Throwable t) {
                // The uplink must outlive any one bad event: drop the link and reconnect rather than die.
                log.error("uplink - unexpected failure; reconnecting", t);
                fail("internal error (" + t + ")");
            }
        }
        shutdown();
    }

    private void handle(UplinkEvent event) throws InterruptedException {
        if (event instanceof UplinkEvent.SpoolChanged) {
            spoolSignalled.set(false);
            if (state == LinkState.CONNECTED) {
                fillWindow();
            }
        } else if (event instanceof UplinkEvent.Opened opened && opened.link() == link) {
            send(new Hello(config.agentId(), config.token(), config.deviceIds()));
        } else if (event instanceof UplinkEvent.Text text && text.link() == link) {
            onFrame(text.text());
        } else if (event instanceof UplinkEvent.Closed closed && closed.link() == link) {
            fail(closed.describe());
        } else if (event instanceof UplinkEvent.Failed failed && failed.link() == link) {
            fail(failed.message());
        }
        // anything else belongs to a replaced connection
    }

    private void onFrame(String text) throws InterruptedException {
        AgentFrame frame;
        try {
            frame = codec.decode(text, clock.now());
        } catch (FrameException e) {
            fail("gateway sent a bad frame (" + e.getMessage() + ")");
            return;
        }
        if (frame instanceof Welcome welcome && !welcomed) {
            goodbyeOffered = welcome.offers(Welcome.GOODBYE);
            onWelcome(welcome.lastSeq());
        } else if (frame instanceof Ack ack && welcomed) {
            onAck(ack.seq());
        } else if (frame instanceof ErrorFrame error && error.aboutOneStatus() && welcomed) {
            onRefused(error);
        } else if (frame instanceof ErrorFrame error) {
            // CONTRACT §3: error then close, for a bad hello or token; a refusal, so back off (no hot loop).
            fail("refused by gateway: " + oneLine(error.message()));
        } else {
            fail("gateway sent an unexpected " + frame.getClass().getSimpleName() + " frame");
        }
    }

    private void onWelcome(long gatewayLastSeq) throws InterruptedException {
        if (gatewayLastSeq < ackedToSpool) {
            log.warn("uplink - {} reports last seq {} but acknowledged up to {} before; those statuses already left"
                    + " the spool", endpoint, gatewayLastSeq, ackedToSpool);
        }
        spool.syncWithGateway(gatewayLastSeq);
        ackedToSpool = Math.max(ackedToSpool, gatewayLastSeq);
        window.reset(gatewayLastSeq);
        inFlightDevices.clear();
        publishConflicts();
        welcomed = true;
        state = LinkState.CONNECTED;
        backoff.reset();
        log.info("uplink - connected to {} as {}; gateway holds up to seq {}, {} statuses to send", endpoint,
                config.agentId(), gatewayLastSeq, spool.depth());
        fillWindow();
    }

    private void onAck(long seq) {
        if (window.acked(seq)) {
            acked.incrementAndGet();
            String device = inFlightDevices.remove(seq);
            if (device != null && conflictOwners.remove(device) != null) {
                log.info("uplink - {} accepted by {} again; its held statuses follow", device, endpoint);
            }
            advanceFloor();
        }
        fillWindow();
        publishConflicts();
    }

    private void advanceFloor() {
        long floor = window.floor();
        if (floor > ackedToSpool) {
            ackedToSpool = floor;
            spool.ackUpTo(floor);
        }
    }

    /**
     * CONTRACT §3: the gateway refused one status (its device belongs to another agent, or its seq is implausible);
     * the link stays open and the other devices keep flowing. The status stays in the spool and is sent again later
     * under a new seq: the gateway's mark may pass the old one meanwhile, which would make a resend a duplicate.
     */
    private void onRefused(ErrorFrame error) {
        if (!window.pending(error.seq()) || conflicts.containsKey(error.seq())) {
            return;
        }
        refused.incrementAndGet();
        conflicts.put(error.seq(), System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CONFLICT_RETRY_MS));
        String device = inFlightDevices.getOrDefault(error.seq(), String.valueOf(error.deviceId()));
        if (!OwnershipConflict.isOwnership(error.message())) {
            if (otherRefusals.add(device)) {
                log.warn("uplink - {} refused statuses for {}: {}; kept in the spool and retried every {} s",
                        endpoint, device, oneLine(error.message()), CONFLICT_RETRY_MS / 1000);
            }
            return;
        }
        boolean first = !conflictOwners.containsKey(device);
        if (first) {
            conflictOwners.put(device, OwnershipConflict.ownerIn(error.message()));
        }
        publishConflicts();
        if (first) {
            log.warn("uplink - {}; {} refuses them until that rig has been offline past its grace period; kept in the"
                    + " spool and retried every {} s", describeConflict(device), endpoint, CONFLICT_RETRY_MS / 1000);
        }
    }

    private String describeConflict(String device) {
        return ownershipConflicts.stream().filter(c -> c.deviceId().equals(device)).findFirst()
                .map(OwnershipConflict::describe).orElse(device);
    }

    /** Recomputes what the board shows: per conflicted device, its statuses in flight (refused or about to be). */
    private void publishConflicts() {
        if (conflictOwners.isEmpty()) {
            if (!ownershipConflicts.isEmpty()) {
                ownershipConflicts = List.of();
            }
            return;
        }
        Map<String, Integer> held = new TreeMap<>();
        conflictOwners.keySet().forEach(device -> held.put(device, 0));
        inFlightDevices.values().forEach(device -> held.computeIfPresent(device, (d, n) -> n + 1));
        List<OwnershipConflict> now = new ArrayList<>(held.size());
        held.forEach((device, n) -> now.add(new OwnershipConflict(device, conflictOwners.get(device), n)));
        ownershipConflicts = List.copyOf(now);
    }

    /** Puts refused statuses that are due (or all, when the link is lost) back into the spool under new seqs. */
    private void requeueRefused(boolean all) {
        long now = System.nanoTime();
        Iterator<Map.Entry<Long, Long>> due = conflicts.entrySet().iterator();
        while (due.hasNext()) {
            Map.Entry<Long, Long> entry = due.next();
            if (!all && now - entry.getValue() < 0) {
                continue;
            }
            if (spool.full()) {
                return; // appending would block this thread, which frees the spool: keep them held
            }
            long seq = entry.getKey();
            List<SpoolRecord> records = spool.readAfter(seq - 1, 1);
            if (!records.isEmpty() && records.get(0).seq() == seq) {
                try {
                    spool.append(records.get(0).status());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            due.remove();
            window.acked(seq);
            inFlightDevices.remove(seq);
        }
        if (all) {
            conflictOwners.clear();
            otherRefusals.clear();
            inFlightDevices.clear(); // the link is gone: nothing is in flight any more
        }
        advanceFloor();
        publishConflicts();
    }

    /**
     * Keeps up to {@code window} statuses in flight, reading the spool in seq order after the last one sent. It
     * refills once a quarter of the window is free, so a busy link reads the spool in chunks, not a row per ack.
     */
    private void fillWindow() {
        if (stopping) {
            return;
        }
        int refillAt = config.window() - Math.max(1, config.window() / 4);
        if (window.inFlight() > refillAt) {
            return;
        }
        while (state == LinkState.CONNECTED && window.inFlight() < config.window()) {
            List<SpoolRecord> records = spool.readAfter(window.lastSent(), config.window() - window.inFlight());
            if (records.isEmpty()) {
                return;
            }
            for (SpoolRecord record : records) {
                if (!send(new StatusFrame(record.seq(), record.status()))) {
                    return;
                }
                window.sent(record.seq());
                inFlightDevices.put(record.seq(), record.status().deviceId());
                sent.incrementAndGet();
            }
        }
    }

    private boolean send(AgentFrame frame) {
        try {
            connection.send(codec.encode(frame));
            return true;
        } catch (WebsocketNotConnectedException e) {
            fail("link lost while sending");
            return false;
        }
    }

    private void connect() {
        link++;
        attempts++;
        if (attempts > 1) {
            reconnects.incrementAndGet();
        }
        gateway = config.gateways().get(gatewayIndex);
        endpoint = UplinkConfig.endpoint(gateway);
        plainToken.check(gateway, config.token()).ifPresent(warning -> log.warn("uplink - {}", warning));
        welcomed = false;
        deadlineNanos = System.nanoTime() + config.connectTimeout().toNanos();
        state = LinkState.CONNECTING;
        connection = new GatewayConnection(endpoint, link, events::add, (int) config.connectTimeout().toMillis());
        connection.setConnectionLostTimeout((int) config.pingInterval().toSeconds());
        if (trustedCa != null && "wss".equalsIgnoreCase(endpoint.getScheme())) {
            connection.setSocketFactory(trustedCa);
        }
        connection.connect();
    }

    /** Drops the current connection attempt or link and schedules the next one after a jittered backoff. */
    private void fail(String reason) {
        requeueRefused(true); // the next welcome's last_seq may be above them: they must not be taken as stored
        GatewayConnection old = connection;
        connection = null;
        link++; // late events of the old connection are now ignored
        if (old != null) {
            old.close();
        }
        // After a working link, start again from the preferred (first) gateway; after a failed attempt, fail over.
        gatewayIndex = welcomed ? 0 : (gatewayIndex + 1) % config.gateways().size();
        welcomed = false;
        long delay = backoff.nextDelayMillis();
        deadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delay);
        state = LinkState.BACKOFF;
        log.warn("uplink - {}: {}; next attempt to {} in {} ms", endpoint, reason,
                config.gateways().get(gatewayIndex), delay);
    }

    private void checkTimers() {
        if (!conflicts.isEmpty() && state == LinkState.CONNECTED) {
            requeueRefused(false);
        }
        if (System.nanoTime() - deadlineNanos < 0) {
            return;
        }
        if (state == LinkState.BACKOFF) {
            connect();
        } else if (state == LinkState.CONNECTING) {
            fail("no welcome within " + config.connectTimeout().toMillis() + " ms");
        }
    }

    private long waitMillis() {
        if (state == LinkState.BACKOFF || state == LinkState.CONNECTING) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
            return Math.max(1, left + 1);
        }
        if (!conflicts.isEmpty()) {
            long left = TimeUnit.NANOSECONDS.toMillis(conflicts.values().stream().min(Long::compare).orElseThrow()
                    - System.nanoTime());
            return Math.max(1, Math.min(IDLE_POLL_MS, left + 1));
        }
        return IDLE_POLL_MS;
    }

    /** Peer text goes into a log line: one line, bounded. */
    private static String oneLine(String text) {
        if (text == null) {
            return "(no message)";
        }
        String line = text.replaceAll("\\s+", " ").trim();
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }

    /**
     * Lets the acks of statuses in flight arrive (up to {@value #DRAIN_MS} ms), so the gateway has stored them before
     * the goodbye; refused statuses (held for their device's owner) are not waited for. A lost link ends the wait.
     */
    private void awaitInFlightAcks() {
        stopping = true;
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DRAIN_MS);
        try {
            while (state == LinkState.CONNECTED && window.inFlight() > conflicts.size()) {
                long left = until - System.nanoTime();
                if (left <= 0) {
                    log.info("uplink - {} statuses still unacknowledged after {} ms; they stay in the spool",
                            window.inFlight() - conflicts.size(), DRAIN_MS);
                    return;
                }
                UplinkEvent event = events.poll(left, TimeUnit.NANOSECONDS);
                if (event != null && !(event instanceof UplinkEvent.Stop)) {
                    handle(event);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void spoolChanged() {
        if (spoolSignalled.compareAndSet(false, true)) {
            events.add(new UplinkEvent.SpoolChanged());
        }
    }

    /**
     * On a working link to a gateway whose welcome lists the goodbye: waits for the acks in flight, says goodbye
     * (docs/PROTOCOL.md §3). Then closes the link with 1001 and waits briefly for the close handshake, then drops the
     * socket. A gateway that predates the goodbye (it would refuse an unknown frame type with an error and 1008) gets
     * only the close, as before, and takes the devices offline after its grace period.
     */
    private void shutdown() {
        if (state == LinkState.CONNECTED && goodbyeOffered) {
            awaitInFlightAcks();
            if (state == LinkState.CONNECTED && send(new Goodbye(GOODBYE_REASON))) {
                log.info("uplink - said goodbye to {}", endpoint);
            }
        }
        state = LinkState.STOPPED;
        GatewayConnection last = connection;
        connection = null;
        if (last == null) {
            return;
        }
        long lastLink = link;
        last.close(1001, "agent stopping");
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LINGER_MS);
        try {
            while (System.nanoTime() < until) {
                UplinkEvent event = events.poll(LINGER_MS, TimeUnit.MILLISECONDS);
                if (event instanceof UplinkEvent.Closed closed && closed.link() == lastLink) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        last.closeConnection(1001, "agent stopping");
    }
}
