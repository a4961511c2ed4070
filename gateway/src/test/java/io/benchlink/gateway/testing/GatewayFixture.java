package io.benchlink.gateway.testing;

import io.benchlink.gateway.app.Gateway;
import io.benchlink.gateway.config.GatewayConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A real gateway in this JVM on 127.0.0.1 with port 0 and a store in a test directory; restartable on the same
 * store. Defaults are shrunk for tests (short grace, small buffer) and each test can change them.
 */
public final class GatewayFixture implements AutoCloseable {
    private final Path dataDir;
    private final UnaryOperator<GatewayConfig> customise;
    private Gateway gateway;
    private boolean http;

    public GatewayFixture(Path dataDir) {
        this(dataDir, c -> c);
    }

    public GatewayFixture(Path dataDir, UnaryOperator<GatewayConfig> customise) {
        this.dataDir = dataDir;
        this.customise = customise;
    }

    public static GatewayConfig defaults(Path dataDir) {
        return GatewayConfig.builder().bind("127.0.0.1").port(0).httpPort(-1).dataDir(dataDir)
                .zone(ZoneId.of("Europe/Moscow")).build();
    }

    /** The defaults with a subscriber buffer of {@code messages} ({@code --subscriber-buffer}). */
    public static UnaryOperator<GatewayConfig> subscriberBuffer(int messages) {
        return c -> new GatewayConfig(c.bind(), c.port(), c.httpPort(), c.dataDir(), c.zone(), c.agentTokens(),
                c.subscriberTokens(), c.allowAnonymous(), c.offlineGrace(), c.pingInterval(), c.idleTimeout(), messages,
                c.maxSubscribers(), c.maxAgents(), c.maxFrameBytes(), c.retention(), c.commitBatch());
    }

    /** Also runs the HTTP listener (on port 0); call before {@link #start}. */
    public GatewayFixture withHttp() {
        this.http = true;
        return this;
    }

    public GatewayFixture start() throws Exception {
        GatewayConfig config = customise.apply(defaults(dataDir));
        gateway = Gateway.start(http ? withPorts(config, config.port(), 0) : config);
        return this;
    }

    public void restart() throws Exception {
        gateway.close();
        start();
    }

    /** Restarts on the port numbers the stopped gateway had, as a real restart does (clients reconnect there). */
    public void restartOnSamePorts() throws Exception {
        int port = gateway.port();
        int httpPort = gateway.httpPort();
        gateway.close();
        gateway = Gateway.start(withPorts(customise.apply(defaults(dataDir)), port, httpPort));
    }

    public static GatewayConfig withPorts(GatewayConfig c, int port, int httpPort) {
        return c.toBuilder().port(port).httpPort(httpPort).build();
    }

    public Gateway gateway() {
        return gateway;
    }

    public URI uri(String pathAndQuery) {
        return URI.create("ws://127.0.0.1:" + gateway.port() + pathAndQuery);
    }

    /** An address on the HTTP listener (needs {@link #withHttp}). */
    public URI http(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + gateway.httpPort() + pathAndQuery);
    }

    public Path dataDir() {
        return dataDir;
    }

    @Override
    public void close() {
        if (gateway != null) {
            gateway.close();
        }
    }
}
