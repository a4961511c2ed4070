package io.benchlink.gateway.config;

import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;

/**
 * The gateway's whole configuration, built once at start-up from flags, an optional JSON file and defaults
 * ({@link GatewayConfigLoader}). The compact constructor validates every value, so a running gateway never
 * holds a bad one; each message names the option as the user spells it.
 */
public record GatewayConfig(
        String bind,
        int port,
        int httpPort,
        Path dataDir,
        ZoneId zone,
        List<String> agentTokens,
        List<String> subscriberTokens,
        boolean allowAnonymous,
        Duration offlineGrace,
        Duration pingInterval,
        Duration idleTimeout,
        int subscriberBuffer,
        int maxSubscribers,
        int maxAgents,
        int maxFrameBytes,
        Duration retention,
        int commitBatch,
        SecurityConfig security,
        String store) {

    public static final int DEFAULT_PORT = 8000;
    public static final int DEFAULT_HTTP_PORT = 8001;

    public GatewayConfig {
        require(bind != null && !bind.isBlank(), "--bind", bind, "must be a host name or address");
        require(port >= 0 && port <= 65535, "--port", port, "must be 0..65535");
        require(httpPort >= -1 && httpPort <= 65535, "--http-port", httpPort, "must be 0..65535, or -1 to disable");
        require(dataDir != null, "--data-dir", dataDir, "is required");
        require(zone != null, "--zone", zone, "is required");
        agentTokens = List.copyOf(agentTokens);
        subscriberTokens = List.copyOf(subscriberTokens);
        agentTokens.forEach(t -> require(!t.isBlank(), "--agent-token", "", "must not be empty"));
        subscriberTokens.forEach(t -> require(!t.isBlank(), "--subscriber-token", "", "must not be empty"));
        requirePositive("--offline-grace", offlineGrace);
        requirePositive("--ping-interval", pingInterval);
        requirePositive("--idle-timeout", idleTimeout);
        require(idleTimeout.compareTo(pingInterval) > 0, "--idle-timeout", idleTimeout.toSeconds() + "s",
                "must be longer than --ping-interval");
        require(subscriberBuffer >= 1, "--subscriber-buffer", subscriberBuffer, "must be at least 1");
        require(maxSubscribers >= 1, "--max-subscribers", maxSubscribers, "must be at least 1");
        require(maxAgents >= 1, "--max-agents", maxAgents, "must be at least 1");
        require(maxFrameBytes >= 1024, "--max-frame-bytes", maxFrameBytes, "must be at least 1024");
        requirePositive("--retention", retention);
        require(commitBatch >= 1 && commitBatch <= 100_000, "--commit-batch", commitBatch, "must be 1..100000");
        require(security != null, "security settings", security, "are required");
        agentTokens.forEach(AgentTokenSyntax::check);
        require(store == null || POSTGRES_URL.matcher(store).matches(), "--store", redact(store),
                "must be jdbc:postgresql://HOST:PORT/DB?user=U");
    }

    /** Issue 15: {@code --store} names a PostgreSQL database shared by several gateways; null is the embedded store. */
    private static final java.util.regex.Pattern POSTGRES_URL =
            java.util.regex.Pattern.compile("jdbc:postgresql://[^/?#\\s]+/[^/?#\\s]+(\\?\\S*)?");

    /** The configuration before issue 15: the embedded store in {@code dataDir}. */
    public GatewayConfig(String bind, int port, int httpPort, Path dataDir, ZoneId zone, List<String> agentTokens,
            List<String> subscriberTokens, boolean allowAnonymous, Duration offlineGrace, Duration pingInterval,
            Duration idleTimeout, int subscriberBuffer, int maxSubscribers, int maxAgents, int maxFrameBytes,
            Duration retention, int commitBatch, SecurityConfig security) {
        this(bind, port, httpPort, dataDir, zone, agentTokens, subscriberTokens, allowAnonymous, offlineGrace,
                pingInterval, idleTimeout, subscriberBuffer, maxSubscribers, maxAgents, maxFrameBytes, retention,
                commitBatch, security, null);
    }

    /** A copy on another store (issue 15); null for the embedded one. */
    public GatewayConfig withStore(String otherStore) {
        return new GatewayConfig(bind, port, httpPort, dataDir, zone, agentTokens, subscriberTokens, allowAnonymous,
                offlineGrace, pingInterval, idleTimeout, subscriberBuffer, maxSubscribers, maxAgents, maxFrameBytes,
                retention, commitBatch, security, otherStore);
    }

    private static String redact(String url) {
        return url == null ? null : url.replaceAll("([?&]password=)[^&]*", "$1****");
    }

    /** The configuration before issue 7: security settings at their defaults (keeps older call sites short). */
    public GatewayConfig(String bind, int port, int httpPort, Path dataDir, ZoneId zone, List<String> agentTokens,
            List<String> subscriberTokens, boolean allowAnonymous, Duration offlineGrace, Duration pingInterval,
            Duration idleTimeout, int subscriberBuffer, int maxSubscribers, int maxAgents, int maxFrameBytes,
            Duration retention, int commitBatch) {
        this(bind, port, httpPort, dataDir, zone, agentTokens, subscriberTokens, allowAnonymous, offlineGrace,
                pingInterval, idleTimeout, subscriberBuffer, maxSubscribers, maxAgents, maxFrameBytes, retention,
                commitBatch, SecurityConfig.defaults());
    }

    /** A copy with other security settings (issue 7). */
    public GatewayConfig withSecurity(SecurityConfig other) {
        return new GatewayConfig(bind, port, httpPort, dataDir, zone, agentTokens, subscriberTokens, allowAnonymous,
                offlineGrace, pingInterval, idleTimeout, subscriberBuffer, maxSubscribers, maxAgents, maxFrameBytes,
                retention, commitBatch, other, store);
    }

    /** Tokens from flags or the config file; a tokens file may add more (see {@code auth.Credentials}). */
    public boolean agentAuthRequired() {
        return !agentTokens.isEmpty();
    }

    public boolean subscriberAuthRequired() {
        return !subscriberTokens.isEmpty();
    }

    /** The text of {@code --print-config}: every option, tokens masked. */
    @Override
    public String toString() {
        return "bind=" + bind + "\nport=" + port + "\nhttp_port=" + httpPort + "\ndata_dir=" + dataDir
                + "\nzone=" + zone + "\nagent_tokens=" + mask(agentTokens)
                + "\nsubscriber_tokens=" + mask(subscriberTokens) + "\nallow_anonymous=" + allowAnonymous
                + "\noffline_grace=" + offlineGrace.toSeconds() + "s\nping_interval=" + pingInterval.toSeconds()
                + "s\nidle_timeout=" + idleTimeout.toSeconds() + "s\nsubscriber_buffer=" + subscriberBuffer
                + "\nmax_subscribers=" + maxSubscribers + "\nmax_agents=" + maxAgents
                + "\nmax_frame_bytes=" + maxFrameBytes + "\nretention=" + retention.toDays() + "d"
                + "\ncommit_batch=" + commitBatch + "\n" + security
                + "\nstore=" + (store == null ? "embedded (data_dir)" : redact(store));
    }

    private static String mask(List<String> tokens) {
        return tokens.isEmpty() ? "(none)" : tokens.size() + " set (****)";
    }

    private static void requirePositive(String option, Duration value) {
        require(value != null && !value.isNegative() && !value.isZero(), option, value, "must be positive");
    }

    private static void require(boolean ok, String option, Object value, String rule) {
        if (!ok) {
            throw new ConfigException(option + " " + rule + " (got " + value + ")");
        }
    }
}
