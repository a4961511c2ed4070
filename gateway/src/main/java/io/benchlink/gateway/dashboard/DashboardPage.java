package io.benchlink.gateway.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * The static dashboard (PROTOCOL.md §4 {@code GET /}): {@code index.html}, {@code app.js} and {@code style.css}
 * from {@code resources/dashboard/}, loaded once. The page learns the WebSocket port from a meta tag filled in
 * here, so it needs no extra request and no build step. Immutable.
 */
public final class DashboardPage {
    /** One file to serve. */
    public record Asset(String contentType, byte[] body) {
    }

    public static final String ASSET_PREFIX = "/dashboard/";
    private static final String WS_PORT = "{{WS_PORT}}";
    private final Asset index;
    private final Map<String, Asset> assets;

    public DashboardPage(int wsPort) {
        String html = new String(load("index.html"), StandardCharsets.UTF_8);
        this.index = new Asset("text/html; charset=utf-8",
                html.replace(WS_PORT, Integer.toString(wsPort)).getBytes(StandardCharsets.UTF_8));
        this.assets = Map.of(
                ASSET_PREFIX + "app.js", new Asset("text/javascript; charset=utf-8", load("app.js")),
                ASSET_PREFIX + "style.css", new Asset("text/css; charset=utf-8", load("style.css")));
    }

    public Asset index() {
        return index;
    }

    /** The asset at a request path under {@link #ASSET_PREFIX}, if there is one. */
    public Optional<Asset> asset(String path) {
        return Optional.ofNullable(assets.get(path));
    }

    private static byte[] load(String name) {
        try (InputStream in = DashboardPage.class.getResourceAsStream("/dashboard/" + name)) {
            if (in == null) {
                throw new IllegalStateException("dashboard resource missing from the jar: " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
