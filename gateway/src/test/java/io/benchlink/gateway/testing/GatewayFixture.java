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

    public GatewayFixture(Path dataDir) {
        this(dataDir, c -> c);
    }

    public GatewayFixture(Path dataDir, UnaryOperator<GatewayConfig> customise) {
        this.dataDir = dataDir;
        this.customise = customise;
    }

    public static GatewayConfig defaults(Path dataDir) {
        return new GatewayConfig("127.0.0.1", 0, -1, dataDir, ZoneId.of("Europe/Moscow"), List.of(), List.of(),
                false, Duration.ofSeconds(30), Duration.ofSeconds(20), Duration.ofSeconds(60), 10_000, 20_000,
                1_000, 65_536, Duration.ofDays(30), 1_000);
    }

    public GatewayFixture start() throws Exception {
        gateway = Gateway.start(customise.apply(defaults(dataDir)));
        return this;
    }

    public void restart() throws Exception {
        gateway.close();
        start();
    }

    public Gateway gateway() {
        return gateway;
    }

    public URI uri(String pathAndQuery) {
        return URI.create("ws://127.0.0.1:" + gateway.port() + pathAndQuery);
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
