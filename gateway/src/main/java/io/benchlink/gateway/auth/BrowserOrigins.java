package io.benchlink.gateway.auth;

import io.benchlink.gateway.config.Origins;
import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * Issue 14.6: which browser pages may post events and open WebSockets (docs/PROTOCOL.md §2, §4). A request
 * without an {@code Origin} header (1C, agents, curl) always passes: only browsers send one, and only browsers
 * can be made to call us by a page on another site. A browser request passes when its origin is listed in
 * {@code allowed_origins} or is the gateway itself, so the dashboard needs no configuration and an empty list
 * means "same origin only". Immutable, thread-safe.
 */
public final class BrowserOrigins {
    private final List<String> listed;

    /** {@code listed}: the normalised {@code allowed_origins} (see {@link Origins#parse}). */
    public BrowserOrigins(List<String> listed) {
        this.listed = List.copyOf(listed);
    }

    /**
     * A POST to the HTTP listener: listed, or the page's origin is this listener, i.e. {@code scheme://} + the
     * request's own {@code Host} header.
     */
    public boolean allowsPost(String originHeader, String hostHeader, boolean tls) {
        if (originHeader == null) {
            return true;
        }
        String origin = Origins.parse(originHeader);
        if (origin == null) {
            return false; // "null" (sandboxed frames, file://) or garbage: never the gateway's own page
        }
        return listed.contains(origin) || hostHeader != null
                && origin.equals(Origins.parse((tls ? "https://" : "http://") + hostHeader.strip()));
    }

    /**
     * A WebSocket upgrade: listed, or the page came from this gateway's HTTP listener (the dashboard), i.e. the
     * origin's host is the upgrade's {@code Host} host and its port is {@code httpPort} (-1: no HTTP listener).
     */
    public boolean allowsUpgrade(String originHeader, String hostHeader, int httpPort) {
        if (originHeader == null) {
            return true;
        }
        String origin = Origins.parse(originHeader);
        if (origin == null) {
            return false;
        }
        if (listed.contains(origin)) {
            return true;
        }
        if (hostHeader == null || httpPort < 0) {
            return false;
        }
        URI page = URI.create(origin);
        int pagePort = page.getPort() != -1 ? page.getPort() : page.getScheme().equals("https") ? 443 : 80;
        String host = hostOnly(hostHeader);
        return pagePort == httpPort && host != null && host.equals(page.getHost());
    }

    /** The host of a {@code Host} header in the form {@link Origins#parse} gives, or null when it is not one. */
    private static String hostOnly(String hostHeader) {
        String origin = Origins.parse("http://" + hostHeader.strip());
        return origin == null ? null : URI.create(origin).getHost().toLowerCase(Locale.ROOT);
    }
}
