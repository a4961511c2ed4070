package io.benchlink.gateway.config;

import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;

/**
 * The gateway's whole configuration, built once at start-up from flags, an optional JSON file and defaults
 * ({@code GatewayCommand}). The compact constructor validates every value, so a running gateway never
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
        // port 0 asks the system for a free port, so two zeros cannot collide; -1 disables HTTP
        require(port == 0 || httpPort != port, "--http-port", httpPort, "must differ from the WebSocket port");
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
        requirePositive("--retention-days", retention);
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

    /** A builder holding the command line's defaults; set only what differs. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this configuration's values, for a copy that changes a few. */
    public Builder toBuilder() {
        return new Builder().bind(bind).port(port).httpPort(httpPort).dataDir(dataDir).zone(zone)
                .agentTokens(agentTokens).subscriberTokens(subscriberTokens).allowAnonymous(allowAnonymous)
                .offlineGrace(offlineGrace).pingInterval(pingInterval).idleTimeout(idleTimeout)
                .subscriberBuffer(subscriberBuffer).maxSubscribers(maxSubscribers).maxAgents(maxAgents)
                .maxFrameBytes(maxFrameBytes).retention(retention).commitBatch(commitBatch).security(security)
                .store(store);
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
            throw new InvalidOption(option, value, rule);
        }
    }

    /**
     * Builds a {@link GatewayConfig} by name instead of by position; each setter is named like the record's
     * accessor. Starts from the defaults of the command line ({@code docs/OPERATIONS.md}); {@link #build} validates.
     * Not thread-safe (a local of one caller).
     */
    public static final class Builder {
        private String bind = "0.0.0.0";
        private int port = DEFAULT_PORT;
        private int httpPort = DEFAULT_HTTP_PORT;
        private Path dataDir = Path.of("data");
        private ZoneId zone = ZoneId.systemDefault();
        private List<String> agentTokens = List.of();
        private List<String> subscriberTokens = List.of();
        private boolean allowAnonymous;
        private Duration offlineGrace = Duration.ofSeconds(30);
        private Duration pingInterval = Duration.ofSeconds(20);
        private Duration idleTimeout = Duration.ofSeconds(60);
        private int subscriberBuffer = 10_000;
        private int maxSubscribers = 20_000;
        private int maxAgents = 1_000;
        private int maxFrameBytes = 65_536;
        private Duration retention = Duration.ofDays(30);
        private int commitBatch = 1_000;
        private SecurityConfig security = SecurityConfig.defaults();
        private String store;

        private Builder() {
        }

        public Builder bind(String value) {
            bind = value;
            return this;
        }

        public Builder port(int value) {
            port = value;
            return this;
        }

        public Builder httpPort(int value) {
            httpPort = value;
            return this;
        }

        public Builder dataDir(Path value) {
            dataDir = value;
            return this;
        }

        public Builder zone(ZoneId value) {
            zone = value;
            return this;
        }

        public Builder agentTokens(List<String> value) {
            agentTokens = value;
            return this;
        }

        public Builder subscriberTokens(List<String> value) {
            subscriberTokens = value;
            return this;
        }

        public Builder allowAnonymous(boolean value) {
            allowAnonymous = value;
            return this;
        }

        public Builder offlineGrace(Duration value) {
            offlineGrace = value;
            return this;
        }

        public Builder pingInterval(Duration value) {
            pingInterval = value;
            return this;
        }

        public Builder idleTimeout(Duration value) {
            idleTimeout = value;
            return this;
        }

        public Builder subscriberBuffer(int value) {
            subscriberBuffer = value;
            return this;
        }

        public Builder maxSubscribers(int value) {
            maxSubscribers = value;
            return this;
        }

        public Builder maxAgents(int value) {
            maxAgents = value;
            return this;
        }

        public Builder maxFrameBytes(int value) {
            maxFrameBytes = value;
            return this;
        }

        public Builder retention(Duration value) {
            retention = value;
            return this;
        }

        public Builder commitBatch(int value) {
            commitBatch = value;
            return this;
        }

        public Builder security(SecurityConfig value) {
            security = value;
            return this;
        }

        /** Issue 15: a {@code jdbc:postgresql:} URL, or null for the embedded store in {@link #dataDir}. */
        public Builder store(String value) {
            store = value;
            return this;
        }

        public GatewayConfig build() {
            return new GatewayConfig(bind, port, httpPort, dataDir, zone, agentTokens, subscriberTokens,
                    allowAnonymous, offlineGrace, pingInterval, idleTimeout, subscriberBuffer, maxSubscribers,
                    maxAgents, maxFrameBytes, retention, commitBatch, security, store);
        }
    }
}
