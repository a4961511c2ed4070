package io.benchlink.agent.uplink;

import io.benchlink.agent.retry.Backoff;
import io.benchlink.agent.spool.Spool;
import io.benchlink.common.protocol.Ack;
import io.benchlink.common.protocol.AgentFrame;
import io.benchlink.common.protocol.AgentFrameCodec;
import io.benchlink.common.protocol.ErrorFrame;
import io.benchlink.common.protocol.FrameException;
import io.benchlink.common.protocol.Goodbye;
import io.benchlink.common.protocol.Hello;
import io.benchlink.common.protocol.Welcome;
import io.benchlink.common.text.OneLine;
import io.benchlink.common.time.WallClock;
import java.net.URI;
import java.util.List;
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
 * Delivers the spool to a gateway over PROTOCOL.md §3: hello, welcome, then a window of status frames in flight; each
 * ack lets the spool delete up to the contiguous acknowledged seq. Every failure (refused connect, error frame, no
 * welcome in time, lost link) leads to a backoff with full jitter and the next gateway URL; a new link resends from
 * {@code welcome.last_seq + 1}, so nothing is lost and a repeat is harmless (the gateway stores it once).
 *
 * <p>Roles: this class runs the state machine of the links (connect, dispatch events and frames, fail over, stop);
 * {@link SpoolFeed} keeps the window of statuses in flight fed from the spool and turns acks into spool deletions;
 * {@link HeldRefusals} holds the statuses the gateway refused and its per-device conflict view; {@link OrderedStop}
 * does the waits of a stop.
 *
 * <p>Threads: one thread {@code agent-uplink} owns the connection, the window and the state machine (and so all the
 * mutable state of those three helpers). Java-WebSocket callbacks and the spool's append listener only put events on
 * its queue. Getters are safe from any thread.
 *
 * <p>Lifecycle: open the spool, {@link #start()}, ... , {@link #close()} the uplink, then close the spool (the uplink
 * reads the spool until it has stopped).
 */
public final class Uplink implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Uplink.class);
    private static final long CLOSE_WAIT_MS = 5_000;
    /** The goodbye's reason (PROTOCOL.md §3); the gateway logs it, its offline says "agent stopped". */
    static final String GOODBYE_REASON = "agent stopped";
    private static final long IDLE_POLL_MS = 60_000;

    private final UplinkConfig config;
    private final Spool spool;
    private final WallClock clock;
    private final AgentFrameCodec codec;
    private final Backoff backoff;
    private final SendWindow window = new SendWindow();
    private final BlockingQueue<UplinkEvent> events = new LinkedBlockingQueue<>();
    private final HeldRefusals held;
    private final SpoolFeed feed;
    private final OrderedStop stop;
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
    private boolean goodbyeOffered; // the current link's welcome lists the goodbye frame
    private final PlainTokenWarning plainToken = new PlainTokenWarning();

    private volatile LinkState state = LinkState.IDLE;
    private volatile URI gateway;
    private final AtomicLong reconnects = new AtomicLong();

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
        this.held = new HeldRefusals(spool, window);
        this.feed = new SpoolFeed(spool, config.window(), window, held, this::send,
                () -> state == LinkState.CONNECTED);
        this.stop = new OrderedStop(events, window, held);
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
     * understands it, waits up to {@value OrderedStop#DRAIN_MS} ms for the acks of statuses in flight, then sends a
     * goodbye frame (so the gateway takes this agent's devices offline as stopped, not lost); then closes with 1001.
     * Statuses not acknowledged by then stay in the spool and are resent by the next run.
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
        return feed.sent();
    }

    /** Acks received for statuses in flight. */
    public long acked() {
        return feed.acked();
    }

    /** Statuses the gateway refused one by one (device owned by another agent): kept and retried. */
    public long refused() {
        return held.refused();
    }

    /** Issue 14.3: the devices whose statuses the gateway currently refuses for another owner, in device order. */
    public List<OwnershipConflict> ownershipConflicts() {
        return held.view();
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
                feed.fill();
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
            onWelcome(welcome);
        } else if (frame instanceof Ack ack && welcomed) {
            feed.ack(ack.seq(), endpoint);
        } else if (frame instanceof ErrorFrame error && error.aboutOneStatus() && welcomed) {
            held.refusedBy(error, endpoint);
        } else if (frame instanceof ErrorFrame error) {
            // PROTOCOL.md §3: error then close, for a bad hello or token; a refusal, so back off (no hot loop).
            fail("refused by gateway: " + OneLine.of(error.message(), 200));
        } else {
            fail("gateway sent an unexpected " + frame.getClass().getSimpleName() + " frame");
        }
    }

    private void onWelcome(Welcome welcome) throws InterruptedException {
        goodbyeOffered = welcome.offers(Welcome.GOODBYE);
        feed.welcomed(welcome.lastSeq(), endpoint);
        welcomed = true;
        state = LinkState.CONNECTED;
        backoff.reset();
        log.info("uplink - connected to {} as {}; gateway holds up to seq {}, {} statuses to send", endpoint,
                config.agentId(), welcome.lastSeq(), spool.depth());
        feed.fill();
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
        feed.requeueRefused(true); // the next welcome's last_seq may be above them: they must not be taken as stored
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
        if (!held.isEmpty() && state == LinkState.CONNECTED) {
            feed.requeueRefused(false);
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
        if (!held.isEmpty()) {
            long left = TimeUnit.NANOSECONDS.toMillis(held.nextDueNanos() - System.nanoTime());
            return Math.max(1, Math.min(IDLE_POLL_MS, left + 1));
        }
        return IDLE_POLL_MS;
    }

    private void spoolChanged() {
        if (spoolSignalled.compareAndSet(false, true)) {
            events.add(new UplinkEvent.SpoolChanged());
        }
    }

    /**
     * On a working link to a gateway whose welcome lists the goodbye: waits for the acks in flight, says goodbye
     * (PROTOCOL.md §3). Then closes the link with 1001 and waits briefly for the close handshake, then drops the
     * socket. A gateway that predates the goodbye (it would refuse an unknown frame type with an error and 1008) gets
     * only the close, as before, and takes the devices offline after its grace period.
     */
    private void shutdown() {
        if (state == LinkState.CONNECTED && goodbyeOffered) {
            feed.stop(); // no new statuses go out, only acks come in
            stop.awaitInFlightAcks(() -> state == LinkState.CONNECTED, this::handle);
            if (state == LinkState.CONNECTED && send(new Goodbye(GOODBYE_REASON))) {
                log.info("uplink - said goodbye to {}", endpoint);
            }
        }
        state = LinkState.STOPPED;
        GatewayConnection last = connection;
        connection = null;
        if (last != null) {
            stop.closeLink(last, link);
        }
    }
}
