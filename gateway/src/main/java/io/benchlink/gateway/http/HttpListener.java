package io.benchlink.gateway.http;

import io.benchlink.gateway.agents.AgentLinks;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.benchlink.common.time.WallClock;
import io.benchlink.gateway.auth.BrowserOrigins;
import io.benchlink.gateway.auth.Credentials;
import io.benchlink.gateway.config.GatewayConfig;
import io.benchlink.gateway.dashboard.DashboardPage;
import io.benchlink.gateway.metrics.GatewayMetrics;
import io.benchlink.gateway.store.EventStore;
import io.benchlink.gateway.metrics.StatusTally;
import io.benchlink.gateway.store.StoreWriter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP listener of PROTOCOL.md §4 on {@code --http-port}: the JDK's built-in server with a bounded pool of
 * {@code gateway-http-N} threads, one {@link Router} for every path, the metrics and the dashboard. Reads go to
 * the store's read connection, POSTs through the store writer like an agent's status.
 *
 * <p>Token rules: GET endpoints under {@code /api/} and {@code /metrics} need a subscriber token when subscriber
 * tokens are set; {@code POST /api/events} needs an agent token when agent tokens are set (an HTTP pusher is an
 * agent without a link); {@code /healthz} and the dashboard page are open (its WebSocket then needs the token).
 * Owns its server and executor; {@link #close} is bounded.
 */
public final class HttpListener implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpListener.class);
    /** The default; the limit in force is {@code --max-http-body} (issue 7). */
    public static final int MAX_BODY = io.benchlink.gateway.config.SecurityConfig.DEFAULT_MAX_HTTP_BODY;

    /**
     * The parts of a running gateway the HTTP side reads or writes; {@code wsPort} is the bound WebSocket port,
     * {@code httpReceived} counts the statuses POSTed here (the metrics read it).
     */
    public record Parts(GatewayConfig config, WallClock clock, EventStore store, StoreWriter writer,
            GatewayMetrics metrics, StatusTally httpReceived, AgentLinks links, int wsPort, String version,
            Credentials credentials, SSLContext tls) {
    }

    private final HttpServer server;
    private final ThreadPoolExecutor executor;
    private final Router router;

    private HttpListener(HttpServer server, ThreadPoolExecutor executor, Router router) {
        this.server = server;
        this.executor = executor;
        this.router = router;
    }

    /** Binds {@code --bind}:{@code --http-port} and starts serving; a bind failure names the address. */
    public static HttpListener start(Parts parts) throws IOException {
        Router router = new Router(routes(parts), parts.credentials().subscribers(), parts.credentials().agents(),
                new BrowserOrigins(parts.config().security().allowedOrigins()), parts.tls() != null);
        InetSocketAddress address = new InetSocketAddress(parts.config().bind(), parts.config().httpPort());
        SlowClients.limitRequestTime();
        HttpServer server;
        try {
            server = parts.tls() == null ? HttpServer.create(address, 64) : https(address, parts.tls());
        } catch (IOException e) {
            throw new IOException("cannot listen for HTTP on " + address + " (" + e.getMessage() + ")", e);
        }
        // Bounded (issue 14.4): threads on demand up to a limit, and a time limit on reading each request.
        ThreadPoolExecutor executor = SlowClients.readers();
        server.createContext("/", router);
        server.setExecutor(executor);
        server.start();
        LOG.info("HTTP API and dashboard on {}://{}:{}/", parts.tls() == null ? "http" : "https",
                parts.config().bind(), server.getAddress().getPort());
        return new HttpListener(server, executor, router);
    }

    /** Issue 7: https:// with the same keystore as wss://. */
    private static HttpServer https(InetSocketAddress address, SSLContext tls) throws IOException {
        HttpsServer server = HttpsServer.create(address, 64);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        return server;
    }

    private static List<Router.Route> routes(Parts parts) {
        DevicesResource devices = new DevicesResource(parts.store());
        EventsResource events = new EventsResource(parts.store(), parts.writer(), parts.clock(),
                parts.config().security().maxHttpBody(), parts.httpReceived());
        OpsResource ops = new OpsResource(parts.store(), parts.writer()::failure, parts.clock(), parts.metrics(),
                new DashboardPage(parts.wsPort()), parts.version(), parts.links());
        return List.of(
                new Router.Route("GET", "/api/devices", false, Access.READ, devices::list),
                new Router.Route("GET", DevicesResource.PREFIX, true, Access.READ, devices::one),
                new Router.Route("GET", EventsResource.PATH, false, Access.READ, events::poll),
                new Router.Route("POST", EventsResource.PATH, false, Access.WRITE, events::push),
                new Router.Route("GET", "/api/summary", false, Access.READ, ops::summary),
                new Router.Route("GET", "/api/agents", false, Access.READ, ops::agents),
                new Router.Route("GET", "/healthz", false, Access.OPEN, ops::health),
                new Router.Route("GET", "/metrics", false, Access.READ, ops::metrics),
                new Router.Route("GET", DashboardPage.ASSET_PREFIX, true, Access.OPEN, ops::asset),
                new Router.Route("GET", "/", false, Access.OPEN, ops::index));
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Refuses new requests, lets those in flight finish (bounded), then closes the listener and its threads. */
    @Override
    public void close() {
        try {
            if (!router.drain(3000)) {
                LOG.warn("HTTP requests still running after 3 s; closing them");
            }
            server.stop(0);
            executor.shutdown();
            if (!executor.awaitTermination(2, TimeUnit.SECONDS)) {
                LOG.warn("HTTP threads did not stop within 2 s");
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.stop(0);
            executor.shutdownNow();
        }
    }
}
