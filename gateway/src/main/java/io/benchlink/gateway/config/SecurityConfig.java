package io.benchlink.gateway.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The settings of issue 7 (limits against hostile peers, a reloadable tokens file, TLS), grouped in one record so
 * {@link GatewayConfig} grows by one component. Validated in the compact constructor like every config record.
 *
 * @param handshakeTimeout from TCP accept until the WebSocket handshake is done, and for agents until their hello
 * @param maxStatusRate    statuses per second one agent_id may send; the excess is refused with an error frame
 * @param tokensFile       file of agent and subscriber tokens, re-read on SIGHUP; null for none
 * @param tls              keystore for wss:// and https://; null for plain ws:// and http://
 * @param maxHttpBody      largest HTTP request body in bytes ({@code POST /api/events}); larger ones get 413
 * @param allowedOrigins   browser origins ({@code https://host:port}) allowed to post and to open WebSockets besides
 *                         the gateway's own pages; empty for same-origin only. Requests without an {@code Origin}
 *                         header are never refused by it. Checked by {@code auth.BrowserOrigins} (issue 14.6)
 */
public record SecurityConfig(Duration handshakeTimeout, int maxStatusRate, Path tokensFile, TlsConfig tls,
                             int maxHttpBody, List<String> allowedOrigins) {
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_STATUS_RATE = 100_000;
    public static final int DEFAULT_MAX_HTTP_BODY = 64 * 1024;

    public SecurityConfig {
        if (handshakeTimeout == null || handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
            throw new InvalidOption("--handshake-timeout", handshakeTimeout, "must be positive");
        }
        if (maxStatusRate < 1) {
            throw new InvalidOption("--max-status-rate", maxStatusRate, "must be at least 1");
        }
        if (maxHttpBody < 1024 || maxHttpBody > 16 * 1024 * 1024) {
            throw new InvalidOption("--max-http-body", maxHttpBody, "must be 1024..16777216");
        }
        allowedOrigins = Origins.normalise(allowedOrigins == null ? List.of() : allowedOrigins);
    }

    /** Without an Origin allow-list (the settings before {@code --allowed-origin}). */
    public SecurityConfig(Duration handshakeTimeout, int maxStatusRate, Path tokensFile, TlsConfig tls,
            int maxHttpBody) {
        this(handshakeTimeout, maxStatusRate, tokensFile, tls, maxHttpBody, List.of());
    }

    /** With the default HTTP body limit. */
    public SecurityConfig(Duration handshakeTimeout, int maxStatusRate, Path tokensFile, TlsConfig tls) {
        this(handshakeTimeout, maxStatusRate, tokensFile, tls, DEFAULT_MAX_HTTP_BODY, List.of());
    }

    public static SecurityConfig defaults() {
        return new SecurityConfig(DEFAULT_HANDSHAKE_TIMEOUT, DEFAULT_MAX_STATUS_RATE, null, null);
    }

    /** A copy allowing these browser origins (the rest unchanged). */
    public SecurityConfig withAllowedOrigins(List<String> origins) {
        return new SecurityConfig(handshakeTimeout, maxStatusRate, tokensFile, tls, maxHttpBody, origins);
    }

    /** Lines for {@code --print-config}; the TLS password is never shown. */
    @Override
    public String toString() {
        return "handshake_timeout=" + handshakeTimeout.toSeconds() + "s\nmax_status_rate=" + maxStatusRate
                + "\ntokens_file=" + (tokensFile == null ? "(none)" : tokensFile)
                + "\ntls_keystore=" + (tls == null ? "(none)" : tls.keystore()) + "\nmax_http_body=" + maxHttpBody
                + "\nallowed_origins=" + (allowedOrigins.isEmpty() ? "(same origin only)" : String.join(", ", allowedOrigins));
    }
}
