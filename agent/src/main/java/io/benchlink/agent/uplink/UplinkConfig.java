package io.benchlink.agent.uplink;

import io.benchlink.common.protocol.AgentFrameCodec;
import io.benchlink.common.protocol.Hello;
import io.benchlink.common.time.WallClock;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How the agent reaches its gateways (PROTOCOL.md §3). Validated once in the compact constructor, so a running
 * uplink never meets a bad value; messages name the field.
 *
 * @param gateways       gateway base URLs ({@code ws://host:8000}) or full {@code .../ws/agents} URLs, tried in order
 * @param agentId        this agent's id (same rules as a device_id)
 * @param token          agent token, may be empty when the gateway has none; never logged
 * @param deviceIds      the devices this agent reports for, sent in hello
 * @param window         most statuses sent and not yet acknowledged (1..10000)
 * @param connectTimeout TCP connect plus WebSocket handshake plus welcome must finish within this
 * @param pingInterval   protocol ping period; a link silent for 1.5 times this is dropped
 * @param backoffMin     first reconnect delay cap (full jitter: the delay is uniform in [0, cap])
 * @param backoffMax     largest reconnect delay cap
 * @param trustedCa      PEM file of the CA certificate(s) that signed a private gateway's certificate, for
 *                       {@code wss://}; null trusts the JVM's default CAs. Either way the certificate and its host
 *                       name are verified (issue 7).
 */
public record UplinkConfig(List<URI> gateways, String agentId, String token, List<String> deviceIds, int window,
                           Duration connectTimeout, Duration pingInterval, Duration backoffMin, Duration backoffMax,
                           Path trustedCa) {
    public static final int DEFAULT_WINDOW = 256;
    public static final int MAX_WINDOW = 10_000;
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_PING_INTERVAL = Duration.ofSeconds(20);
    public static final Duration DEFAULT_BACKOFF_MIN = Duration.ofMillis(500);
    public static final Duration DEFAULT_BACKOFF_MAX = Duration.ofSeconds(30);

    public UplinkConfig {
        gateways = List.copyOf(Objects.requireNonNull(gateways, "gateways"));
        if (gateways.isEmpty()) {
            throw new IllegalArgumentException("uplink: at least one gateway URL is required");
        }
        gateways.forEach(UplinkConfig::requireWebSocketUrl);
        token = token == null ? "" : token;
        deviceIds = List.copyOf(Objects.requireNonNull(deviceIds, "deviceIds"));
        // PROTOCOL.md §3 rules for agent_id and devices, kept in one place: the Hello record.
        String hello = new AgentFrameCodec(WallClock.system()).encode(new Hello(agentId, token, deviceIds));
        if (hello.getBytes(StandardCharsets.UTF_8).length > GatewayConnection.MAX_FRAME_BYTES) {
            throw new IllegalArgumentException("uplink: hello with " + deviceIds.size() + " devices exceeds the"
                    + " gateway's 64 KiB frame limit; split the devices over several agents");
        }
        if (window < 1 || window > MAX_WINDOW) {
            throw new IllegalArgumentException("uplink: window must be 1.." + MAX_WINDOW + " (got " + window + ")");
        }
        requirePositive("connect timeout", connectTimeout);
        requirePositive("ping interval", pingInterval);
        if (pingInterval.toSeconds() < 1) {
            throw new IllegalArgumentException("uplink: ping interval must be at least 1 s (got " + pingInterval + ")");
        }
        requirePositive("backoff min", backoffMin);
        requirePositive("backoff max", backoffMax);
        if (backoffMax.compareTo(backoffMin) < 0) {
            throw new IllegalArgumentException("uplink: backoff max (" + backoffMax + ") is below backoff min ("
                    + backoffMin + ")");
        }
        if (trustedCa != null && !Files.isReadable(trustedCa)) {
            throw new IllegalArgumentException("uplink: trusted CA file " + trustedCa + " cannot be read");
        }
    }

    /** Without a private CA: the JVM's default trust store verifies a {@code wss://} gateway. */
    public UplinkConfig(List<URI> gateways, String agentId, String token, List<String> deviceIds, int window,
                        Duration connectTimeout, Duration pingInterval, Duration backoffMin, Duration backoffMax) {
        this(gateways, agentId, token, deviceIds, window, connectTimeout, pingInterval, backoffMin, backoffMax, null);
    }

    /** A copy that trusts the CA certificate(s) in this PEM file for {@code wss://} (issue 7). */
    public UplinkConfig withTrustedCa(Path pemFile) {
        return new UplinkConfig(gateways, agentId, token, deviceIds, window, connectTimeout, pingInterval, backoffMin,
                backoffMax, pemFile);
    }

    /** The defaults of issue 4: window 256, connect 10 s, ping 20 s, backoff 0.5 s up to 30 s. */
    public static UplinkConfig defaults(List<URI> gateways, String agentId, String token, List<String> deviceIds) {
        return new UplinkConfig(gateways, agentId, token, deviceIds, DEFAULT_WINDOW, DEFAULT_CONNECT_TIMEOUT,
                DEFAULT_PING_INTERVAL, DEFAULT_BACKOFF_MIN, DEFAULT_BACKOFF_MAX);
    }

    /** The agent endpoint of a configured gateway: a bare {@code ws://host:port} gets {@code /ws/agents}. */
    static URI endpoint(URI gateway) {
        String path = gateway.getPath() == null ? "" : gateway.getPath();
        if (path.endsWith("/ws/agents")) {
            return gateway;
        }
        String base = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return gateway.resolve(base + "/ws/agents");
    }

    private static void requireWebSocketUrl(URI uri) {
        Objects.requireNonNull(uri, "gateway URL");
        String scheme = uri.getScheme();
        if (!("ws".equalsIgnoreCase(scheme) || "wss".equalsIgnoreCase(scheme)) || uri.getHost() == null) {
            throw new IllegalArgumentException("uplink: gateway URL must look like ws://host:8000 (got " + uri + ")");
        }
    }

    private static void requirePositive(String field, Duration value) {
        Objects.requireNonNull(value, field);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("uplink: " + field + " must be positive (got " + value + ")");
        }
    }

    /** Tokens never appear in logs, so the record's text leaves it out. */
    @Override
    public String toString() {
        return "UplinkConfig[gateways=" + gateways + ", agentId=" + agentId + ", devices=" + deviceIds + ", window="
                + window + ", connectTimeout=" + connectTimeout + ", pingInterval=" + pingInterval + ", backoff="
                + backoffMin + ".." + backoffMax + (trustedCa == null ? "" : ", trustedCa=" + trustedCa) + "]";
    }
}
