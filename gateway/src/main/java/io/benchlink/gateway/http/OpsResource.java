package io.benchlink.gateway.http;

import com.google.gson.JsonObject;
import io.benchlink.common.json.Json;
import io.benchlink.common.time.WallClock;
import io.benchlink.gateway.dashboard.DashboardPage;
import io.benchlink.gateway.dashboard.DashboardSummary;
import io.benchlink.gateway.metrics.GatewayMetrics;
import io.benchlink.gateway.store.EventStore;
import io.benchlink.gateway.store.StoreException;
import java.io.IOException;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The endpoints for people and monitoring rather than 1C: {@code /healthz}, {@code /metrics}, the dashboard page
 * and its assets, and the dashboard's {@code /api/summary}. Stateless.
 */
final class OpsResource {
    private final EventStore store;
    private final Supplier<Optional<String>> storeFailure;
    private final WallClock clock;
    private final GatewayMetrics metrics;
    private final DashboardPage page;
    private final String version;

    OpsResource(EventStore store, Supplier<Optional<String>> storeFailure, WallClock clock, GatewayMetrics metrics,
            DashboardPage page, String version) {
        this.store = store;
        this.storeFailure = storeFailure;
        this.clock = clock;
        this.metrics = metrics;
        this.page = page;
        this.version = version;
    }

    /** Issue 14.5: 503 with the reason while the store cannot commit, so monitoring sees what agents see. */
    void health(HttpCall call) throws IOException {
        call.query(Set.of());
        Optional<String> failure = storeFailure.get();
        JsonObject health = new JsonObject();
        health.addProperty("status", failure.isPresent() ? "failing" : "ok");
        failure.ifPresent(reason -> health.addProperty("reason", "store cannot commit: " + reason));
        health.addProperty("version", version);
        try {
            health.addProperty("events", store.eventCount());
            health.addProperty("latest_seq", store.latestSeq());
        } catch (StoreException e) {
            health.addProperty("status", "failing");
            health.addProperty("reason", e.getMessage());
            failure = Optional.of(e.getMessage());
        }
        call.json(failure.isPresent() ? 503 : 200, Json.GSON.toJson(health));
    }

    void metrics(HttpCall call) throws IOException {
        call.query(Set.of());
        call.send(200, GatewayMetrics.CONTENT_TYPE, metrics.scrape());
    }

    void summary(HttpCall call) throws IOException {
        call.query(Set.of());
        call.json(200, DashboardSummary.json(store, clock));
    }

    /** {@code token} is the only parameter: the page passes it on to its WebSocket and API calls. */
    void index(HttpCall call) throws IOException {
        call.query(Set.of());
        send(call, page.index());
    }

    void asset(HttpCall call) throws IOException {
        send(call, page.asset(call.path()).orElseThrow(() -> new HttpError(404, "no such file: " + call.path())));
    }

    private static void send(HttpCall call, DashboardPage.Asset asset) throws IOException {
        call.send(200, asset.contentType(), asset.body());
    }
}
