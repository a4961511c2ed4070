package io.benchlink.gateway.app;

import io.benchlink.common.concurrent.NamedThreadFactory;
import io.benchlink.common.ops.LogSetup;
import io.benchlink.common.ops.StopSignal;
import io.benchlink.gateway.config.ConfigException;
import io.benchlink.gateway.config.ConfigFile;
import io.benchlink.gateway.config.GatewayConfig;
import io.benchlink.gateway.config.InvalidOption;
import io.benchlink.gateway.config.SecurityConfig;
import io.benchlink.gateway.config.TlsConfig;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code gateway [options]} (PROTOCOL.md §5): runs the gateway until SIGTERM/Ctrl-C. Every option may also come from
 * {@code --config FILE}; a flag wins over the file, the file over the default.
 */
@Command(name = "gateway", mixinStandardHelpOptions = true, versionProvider = io.benchlink.common.cli.VersionProvider.class,
        sortOptions = false, subcommands = CheckConfigCommand.class,
        description = "Stores statuses from Benchlink agents and streams them to 1C over WebSocket.")
public final class GatewayCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "JSON config file (keys like the flags, snake_case).")
    Path configFile;

    @Option(names = "--bind", paramLabel = "ADDR", description = "Address to listen on (default 0.0.0.0).")
    String bind;

    @Option(names = "--port", description = "WebSocket port (default 8000).")
    Integer port;

    @Option(names = "--http-port", description = "HTTP API and dashboard port (default 8001).")
    Integer httpPort;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Embedded store directory (default ./data).")
    Path dataDir;

    @Option(names = "--zone", description = "Time zone of the timestamps (default: system zone).")
    String zone;

    @Option(names = "--agent-token", paramLabel = "T", description = "Token agents must present (repeatable).")
    List<String> agentTokens;

    @Option(names = "--subscriber-token", paramLabel = "T", description = "Token subscribers must present (repeatable).")
    List<String> subscriberTokens;

    @Option(names = "--allow-anonymous", description = "Run without tokens on a non-loopback address, without a warning.")
    Boolean allowAnonymous;

    @Option(names = "--offline-grace", paramLabel = "SECONDS", description = "Agent link loss before devices go offline (default 30).")
    Long offlineGrace;

    @Option(names = "--ping-interval", paramLabel = "SECONDS", description = "WebSocket ping interval (default 20).")
    Long pingInterval;

    @Option(names = "--idle-timeout", paramLabel = "SECONDS", description = "Drop a connection silent this long (default 60).")
    Long idleTimeout;

    @Option(names = "--subscriber-buffer", paramLabel = "N", description = "Messages a subscriber may fall behind before 1013 (default 10000).")
    Integer subscriberBuffer;

    @Option(names = "--max-subscribers", paramLabel = "N", description = "Subscriber connections (default 20000).")
    Integer maxSubscribers;

    @Option(names = "--max-agents", paramLabel = "N", description = "Agent connections (default 1000).")
    Integer maxAgents;

    @Option(names = "--max-frame-bytes", paramLabel = "N", description = "Largest agent frame (default 65536).")
    Integer maxFrameBytes;

    @Option(names = "--retention-days", paramLabel = "DAYS", description = "Days of events kept (default 30).")
    Long retentionDays;

    @Option(names = "--commit-batch", paramLabel = "N", description = "Most statuses per store transaction (default 1000).")
    Integer commitBatch;

    // --- issue 7: limits, tokens file, TLS ---

    @Option(names = "--handshake-timeout", paramLabel = "SECONDS",
            description = "Close a socket that has not finished the WebSocket handshake (agents: sent hello) by then (default 10).")
    Long handshakeTimeout;

    @Option(names = "--max-status-rate", paramLabel = "N",
            description = "Statuses per second one agent may send; the excess is refused, the agent resends (default 100000).")
    Integer maxStatusRate;

    @Option(names = "--tokens-file", paramLabel = "FILE",
            description = "Lines 'agent TOKEN', 'agent AGENT_ID:TOKEN', 'subscriber TOKEN'; re-read on SIGHUP.")
    Path tokensFile;

    @Option(names = "--tls-keystore", paramLabel = "FILE", description = "PKCS12 keystore: serve wss:// and https://.")
    Path tlsKeystore;

    @Option(names = "--tls-password-env", paramLabel = "VAR",
            description = "Environment variable holding the keystore password (default BENCHLINK_TLS_PASSWORD).")
    String tlsPasswordEnv;

    @Option(names = "--tls-password-file", paramLabel = "FILE", description = "File holding the keystore password.")
    Path tlsPasswordFile;

    @Option(names = "--max-http-body", paramLabel = "BYTES", description = "Largest HTTP request body (default 65536).")
    Integer maxHttpBody;

    @Option(names = "--allowed-origin", paramLabel = "ORIGIN",
            description = "Browser origin (https://host:port) to accept on POST and WebSocket upgrades besides the"
                    + " gateway's own pages (repeatable; default: same origin only; requests without Origin always"
                    + " pass).")
    List<String> allowedOrigins;

    @Option(names = "--store", paramLabel = "JDBC_URL",
            description = "jdbc:postgresql://HOST:PORT/DB?user=U: keep events in PostgreSQL, shared by every gateway "
                    + "given the same URL (password from BENCHLINK_STORE_PASSWORD or BENCHLINK_STORE_PASSWORD_FILE).")
    String store;

    /** The environment, replaceable by tests. */
    Function<String, String> environment = System::getenv;

    @Option(names = "--print-config", description = "Print the effective configuration (tokens masked) and exit.")
    boolean printConfig;

    @Option(names = "--log-level", paramLabel = "LEVEL", description = "error, warn, info, debug or trace (default info).")
    String logLevel;

    @Override
    public Integer call() throws Exception {
        GatewayConfig config = toConfig();
        String level = logLevel();
        if (printConfig) {
            spec.commandLine().getOut().println(config + "\nlog_level=" + (level == null ? "INFO" : level));
            return 0;
        }
        if (level != null) {
            LogSetup.rootLevel(level);
        }
        StopSignal stopSignal = StopSignal.install();
        // Before the listeners open: the JVM's default SIGHUP handler would end a gateway that already answers.
        ReloadSignal reloadSignal = ReloadSignal.install();
        Gateway gateway = Gateway.start(config);
        reloadSignal.reloading(gateway.credentials());
        StartupWarnings.log(config, gateway.credentials()); // after the tokens file is read
        // The hook covers other ways out (System.exit elsewhere); close() is idempotent.
        Runtime.getRuntime().addShutdownHook(NamedThreadFactory.thread("gateway-shutdown", false, gateway::close));
        stopSignal.await(); // SIGTERM or Ctrl-C: stop in order and exit 0 (see StopSignal)
        gateway.close();
        return 0;
    }

    /** {@code --log-level} over the file's {@code log_level}; null when neither is set. */
    String logLevel() {
        String text = logLevel;
        if (text == null && configFile != null) {
            text = ConfigFile.read(configFile).string("log_level");
        }
        if (text == null) {
            return null;
        }
        String level = LogSetup.normalizeLevel(text);
        if (level == null) {
            throw new ConfigException("--log-level must be error, warn, info, debug or trace (got " + text + ")");
        }
        return level;
    }

    /** Flags over file over defaults, validated completely before anything binds. */
    GatewayConfig toConfig() {
        ConfigFile file = configFile == null ? ConfigFile.empty() : ConfigFile.read(configFile);
        GatewayConfig.Builder config = GatewayConfig.builder(); // holds the defaults
        set(bind, file.string("bind"), config::bind);
        set(port, file.int32("port"), config::port);
        set(httpPort, file.int32("http_port"), config::httpPort);
        set(dataDir, path(file.string("data_dir")), config::dataDir);
        config.zone(zone(zone != null ? zone : file.string("zone"), zone != null ? "--zone" : file.name("zone")));
        set(agentTokens, file.strings("agent_tokens"), config::agentTokens);
        set(subscriberTokens, file.strings("subscriber_tokens"), config::subscriberTokens);
        set(allowAnonymous, file.bool("allow_anonymous"), config::allowAnonymous);
        set(seconds(offlineGrace), seconds(file.number("offline_grace_seconds")), config::offlineGrace);
        set(seconds(pingInterval), seconds(file.number("ping_interval_seconds")), config::pingInterval);
        set(seconds(idleTimeout), seconds(file.number("idle_timeout_seconds")), config::idleTimeout);
        set(subscriberBuffer, file.int32("subscriber_buffer"), config::subscriberBuffer);
        set(maxSubscribers, file.int32("max_subscribers"), config::maxSubscribers);
        set(maxAgents, file.int32("max_agents"), config::maxAgents);
        set(maxFrameBytes, file.int32("max_frame_bytes"), config::maxFrameBytes);
        set(days(retentionDays), days(file.number("retention_days")), config::retention);
        set(commitBatch, file.int32("commit_batch"), config::commitBatch);
        set(store, file.string("store"), config::store);
        try {
            return config.security(security(file)).build();
        } catch (InvalidOption e) {
            throw inFile(e, file);
        }
    }

    /** A value out of range that came from the file is reported with the file's key, not the flag's name. */
    private RuntimeException inFile(InvalidOption e, ConfigFile file) {
        String key = FileKeys.of(e.option());
        boolean fromFlag = spec != null && spec.findOption(e.option()) != null
                && spec.findOption(e.option()).getValue() != null;
        return key != null && !fromFlag && file.has(key) ? e.inFile(file.name(key)) : e;
    }

    private SecurityConfig security(ConfigFile file) {
        String tokens = file.string("tokens_file");
        return new SecurityConfig(
                Duration.ofSeconds(pick(handshakeTimeout, file.number("handshake_timeout_seconds"),
                        SecurityConfig.DEFAULT_HANDSHAKE_TIMEOUT.toSeconds())),
                pick(maxStatusRate, file.int32("max_status_rate"), SecurityConfig.DEFAULT_MAX_STATUS_RATE),
                pick(tokensFile, tokens == null ? null : Path.of(tokens), null),
                tls(file),
                pick(maxHttpBody, file.int32("max_http_body"), SecurityConfig.DEFAULT_MAX_HTTP_BODY),
                pick(allowedOrigins, file.strings("allowed_origins"), List.of()));
    }

    private TlsConfig tls(ConfigFile file) {
        String keystoreText = file.string("tls_keystore");
        Path keystore = pick(tlsKeystore, keystoreText == null ? null : Path.of(keystoreText), null);
        String passwordFileText = file.string("tls_password_file");
        Path passwordFile = pick(tlsPasswordFile, passwordFileText == null ? null : Path.of(passwordFileText), null);
        String passwordEnv = pick(tlsPasswordEnv, file.string("tls_password_env"), null);
        if (keystore == null) {
            if (passwordFile != null || passwordEnv != null) {
                throw new ConfigException("--tls-password-env/--tls-password-file need --tls-keystore");
            }
            return null;
        }
        if (passwordFile != null && passwordEnv != null) {
            throw new ConfigException("--tls-password-env and --tls-password-file are exclusive");
        }
        return new TlsConfig(keystore, passwordFile != null ? TlsPassword.fromFile(passwordFile)
                : TlsPassword.fromEnvironment(environment, passwordEnv == null ? TlsConfig.DEFAULT_PASSWORD_ENV : passwordEnv));
    }

    private static ZoneId zone(String id, String named) {
        if (id == null) {
            return ZoneId.systemDefault();
        }
        try {
            return ZoneId.of(id);
        } catch (DateTimeException e) {
            throw new ConfigException(named + " is not a known time zone (got " + id + ")");
        }
    }

    private static Path path(String text) {
        return text == null ? null : Path.of(text);
    }

    private static Duration seconds(Long value) {
        return value == null ? null : Duration.ofSeconds(value);
    }

    private static Duration days(Long value) {
        return value == null ? null : Duration.ofDays(value);
    }

    private static <T> void set(T flag, T fromFile, Consumer<T> setter) {
        T value = flag != null ? flag : fromFile;
        if (value != null) {
            setter.accept(value);
        }
    }

    private static <T> T pick(T flag, T fromFile, T fallback) {
        return flag != null ? flag : fromFile != null ? fromFile : fallback;
    }
}
