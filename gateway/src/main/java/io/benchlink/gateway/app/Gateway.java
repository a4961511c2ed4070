package io.benchlink.gateway.app;

import io.benchlink.common.concurrent.NamedThreadFactory;
import io.benchlink.common.protocol.AgentFrameCodec;
import io.benchlink.common.time.WallClock;
import io.benchlink.gateway.agents.AgentEndpoint;
import io.benchlink.gateway.agents.AgentLinks;
import io.benchlink.gateway.auth.BrowserOrigins;
import io.benchlink.gateway.auth.Credentials;
import io.benchlink.gateway.cluster.ClusterMember;
import io.benchlink.gateway.config.GatewayConfig;
import io.benchlink.gateway.agents.Timers;
import io.benchlink.gateway.http.HttpListener;
import io.benchlink.gateway.metrics.GatewayMetrics;
import io.benchlink.gateway.metrics.StatusTally;
import io.benchlink.gateway.store.EventStore;
import io.benchlink.gateway.store.sqlite.SqliteEventStore;
import io.benchlink.gateway.store.StoreWriter;
import io.benchlink.gateway.store.WriteCommand;
import io.benchlink.gateway.store.postgres.SharedStore;
import io.benchlink.gateway.subscribe.SubscriberHub;
import io.benchlink.gateway.tls.ServerTls;
import io.benchlink.gateway.ws.GatewaySocketServer;
import io.benchlink.gateway.ws.HandshakeGuard;
import io.benchlink.gateway.ws.Heartbeat;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.java_websocket.WebSocketServerFactory;
import org.java_websocket.server.DefaultSSLWebSocketServerFactory;
import org.java_websocket.server.DefaultWebSocketServerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: builds every part of a running gateway from one {@link GatewayConfig}, starts them in
 * dependency order and stops them in reverse, each step bounded. Owns the gateway's executors.
 */
public final class Gateway implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

    private final GatewayConfig config;
    private final WallClock clock;
    private final EventStore store;
    private final SharedStore shared; // issue 15: the PostgreSQL store of --store; null on the embedded store
    private final ClusterMember cluster; // issue 15: null on the embedded store
    private final StoreWriter writer;
    private final SubscriberHub hub;
    private final AgentLinks links;
    private final AgentEndpoint agents;
    private final GatewaySocketServer server;
    private final ScheduledExecutorService scheduler;
    private final ScheduledExecutorService replay;
    private final Credentials credentials; // issue 7: shared by WS and HTTP, reloadable
    private final SSLContext tls; // issue 7: null for plain ws:// and http://
    private final HandshakeGuard handshakes;
    private final StatusTally httpReceived = new StatusTally();
    private final GatewayMetrics metrics;
    private boolean closed;
    private volatile HttpListener http; // HTTP API, metrics, dashboard (PROTOCOL.md §4); null when --http-port is -1

    /** Opens the store a gateway runs on (SQLite in {@code --data-dir} by default; PostgreSQL plugs in here). */
    @FunctionalInterface
    public interface StoreOpener {
        EventStore open(GatewayConfig config);
    }

    private Gateway(GatewayConfig config, StoreOpener stores) {
        this.config = config;
        this.credentials = Credentials.load(config);
        this.tls = config.security().tls() == null ? null : ServerTls.context(config.security().tls());
        this.clock = WallClock.of(config.zone());
        this.scheduler = Executors.newSingleThreadScheduledExecutor(NamedThreadFactory.single("gateway-scheduler"));
        this.replay = Executors.newSingleThreadScheduledExecutor(NamedThreadFactory.single("gateway-replay"));
        this.shared = config.store() == null ? null : SharedStore.open(config.store(), System.getenv());
        this.store = shared == null ? stores.open(config) : shared.store();
        this.hub = new SubscriberHub(store, replay, config.maxSubscribers());
        // On a shared store subscribers are fed by the store's event feed in seq order (every gateway's events);
        // this gateway's commits only wake it.
        this.writer = new StoreWriter(store, clock, config.retention(), config.commitBatch(),
                shared == null ? hub : shared.wakeFeed());
        this.cluster = shared == null ? null
                : new ClusterMember(shared.postgres(), clock, config.offlineGrace(), ClusterMember.LEASE);
        this.links = new AgentLinks(Timers.of(scheduler), config.offlineGrace(), writer::submit, clock,
                cluster); // issue 15: null on the embedded store
        this.agents = new AgentEndpoint(new AgentFrameCodec(clock), clock, writer, links,
                credentials.agents(), config.maxFrameBytes(), config.maxAgents(), config.security().maxStatusRate());
        this.server = new GatewaySocketServer(new InetSocketAddress(config.bind(), config.port()),
                new GatewaySocketServer.Settings(config.maxFrameBytes(), config.subscriberBuffer(),
                        Runtime.getRuntime().availableProcessors()),
                hub, agents, credentials.subscribers(), new BrowserOrigins(config.security().allowedOrigins()),
                scheduler);
        this.handshakes = new HandshakeGuard(socketFactory(tls), config.security().handshakeTimeout(), agents);
        server.setWebSocketFactory(handshakes);
        this.metrics = wireMetrics();
    }

    /** The metrics read every part's own counters; wired here so they exist with or without the HTTP listener. */
    private GatewayMetrics wireMetrics() {
        var stats = hub.stats();
        GatewayMetrics built = new GatewayMetrics(new GatewayMetrics.Sources(
                new GatewayMetrics.Store(store::sizeBytes, store::oldestSeq, store::latestSeq, writer::queueDepth,
                        writer::failedCommits),
                new GatewayMetrics.Agents(links::connected, links::linksLost, links::ownershipConflicts,
                        agents.receivedByStatus()),
                new GatewayMetrics.Subscribers(hub::size, stats.delivered, stats.fellBehind::sum, stats.replayed::sum),
                httpReceived));
        agents.observeAckLatency(built::ackLatency);
        writer.observeCommitTime(built::commitTime);
        return built;
    }

    /** Java-WebSocket's plain or TLS channel factory; TLS handshake tasks run on one named thread. */
    private static WebSocketServerFactory socketFactory(SSLContext tls) {
        if (tls == null) {
            return new DefaultWebSocketServerFactory();
        }
        ExecutorService tasks = Executors.newSingleThreadExecutor(NamedThreadFactory.single("gateway-tls"));
        return new DefaultSSLWebSocketServerFactory(tls, tasks); // the server's stop() shuts it down
    }

    /** Opens the store, binds the listeners and starts the background jobs; fails fast if any step fails. */
    public static Gateway start(GatewayConfig config) throws Exception {
        return start(config, c -> SqliteEventStore.open(c.dataDir()));
    }

    /** On the store {@code stores} opens (tests: a SQLite store with a page limit; issue 15: PostgreSQL). */
    public static Gateway start(GatewayConfig config, StoreOpener stores) throws Exception {
        Gateway gateway = new Gateway(config, stores);
        try {
            gateway.startParts();
            return gateway;
        } catch (Exception e) {
            gateway.close();
            throw e;
        }
    }

    private void startParts() throws Exception {
        if (shared != null) {
            shared.startFeed(hub); // before the writer: no commit of ours may be missed by our own subscribers
            cluster.start();
        }
        writer.start();
        // issue 14.7: before any hello can arrive. Issue 18: ids and status kinds only, not every device's JSON
        links.restarted(store.lastStatusKinds());
        server.startAndWait();
        long ping = config.pingInterval().toMillis();
        scheduler.scheduleAtFixedRate(new Heartbeat(server, config.idleTimeout()), ping, ping, TimeUnit.MILLISECONDS);
        scheduler.scheduleAtFixedRate(() -> writer.submit(new WriteCommand.Purge()), 0, 1, TimeUnit.HOURS);
        long sweep = Math.min(1000, Math.max(50, config.security().handshakeTimeout().toMillis() / 4));
        scheduler.scheduleWithFixedDelay(handshakes::sweep, sweep, sweep, TimeUnit.MILLISECONDS);
        // --- HTTP listener: after the WebSocket listener (the dashboard needs its port), stopped before it ---
        if (config.httpPort() >= 0) {
            http = HttpListener.start(new HttpListener.Parts(config, clock, store, writer, metrics, httpReceived,
                    links, port(), VersionProvider.version(), credentials, tls));
            server.httpListenerBound(http.port()); // issue 14.6: the dashboard's origin
        }
        // Issue 18: the latest seq, not COUNT(*), which reads a whole index (seconds at 10 M events) and holds the
        // store's read connection meanwhile, so the first replays and HTTP reads waited for it.
        LOG.info("gateway listening on {}://{}:{} (store {}, latest seq {})", tls == null ? "ws" : "wss", config.bind(),
                port(), store.location(), store.latestSeq());
        LOG.info("tokens: {} agent, {} subscriber{}", credentials.agents().size(), credentials.subscribers().size(),
                config.security().tokensFile() == null ? "" : " (tokens file " + config.security().tokensFile() + ")");
    }

    public int port() {
        return server.getPort();
    }

    /** The bound HTTP port, or -1 when the HTTP listener is disabled. */
    public int httpPort() {
        return http == null ? -1 : http.port();
    }

    public GatewayConfig config() {
        return config;
    }

    public EventStore store() {
        return store;
    }

    public StoreWriter writer() {
        return writer;
    }

    public SubscriberHub hub() {
        return hub;
    }

    public AgentLinks links() {
        return links;
    }

    public AgentEndpoint agents() {
        return agents;
    }

    /** The tokens in force; {@code reload()} re-reads the tokens file (SIGHUP calls it). */
    public Credentials credentials() {
        return credentials;
    }

    /** Connections not yet through their handshake and hello (issue 7). */
    public HandshakeGuard handshakes() {
        return handshakes;
    }

    /** The Prometheus metrics (also served on {@code /metrics} when the HTTP listener runs). */
    public GatewayMetrics metrics() {
        return metrics;
    }

    public WallClock clock() {
        return clock;
    }

    /**
     * Ordered, bounded shutdown: refuse new connections and statuses, commit and acknowledge what is queued,
     * close every connection with 1001, then stop the background jobs and the store.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (http != null) {
            http.close(); // bounded: lets requests in flight (POSTs waiting for the writer) finish first
        }
        server.beginStopping();
        agents.stopAccepting();
        writer.close();
        try {
            server.shutdown(3000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stopExecutor(scheduler, "scheduler");
        stopExecutor(replay, "replay");
        if (cluster != null) {
            cluster.close(); // releases the lease: the links held here count as lost from now, for the others
        }
        if (shared != null) {
            shared.close();
        } else {
            store.close();
        }
        LOG.info("gateway stopped");
    }

    private static void stopExecutor(ScheduledExecutorService executor, String name) {
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(2, TimeUnit.SECONDS)) {
                LOG.warn("{} did not stop within 2 s", name);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
