package io.benchlink.gateway.http;

import io.benchlink.common.json.Json;
import io.benchlink.common.json.StatusJson;
import io.benchlink.common.status.DeviceId;
import io.benchlink.common.status.DeviceStatus;
import io.benchlink.common.time.WallClock;
import io.benchlink.gateway.store.EventStore;
import io.benchlink.gateway.metrics.StatusTally;
import io.benchlink.gateway.store.StoreWriter;
import io.benchlink.gateway.store.StoredEvent;
import io.benchlink.gateway.store.WriteCommand;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code /api/events} (PROTOCOL.md §4): the polling fallback ({@code GET}, events after {@code since} in seq order)
 * and the HTTP push ({@code POST}, stored and broadcast like an agent's status). A POST waits for the store
 * writer's commit, so a 200/201 means the event is durable. Thread-safe: the counters are concurrent.
 */
final class EventsResource {
    static final String PATH = "/api/events";
    static final int DEFAULT_LIMIT = 1000;
    static final int MAX_LIMIT = 10_000;
    static final int MAX_KEY = 200;
    private static final Set<String> PARAMS = Set.of("since", "device_id", "limit");
    private static final Map<String, String> RETRY = Map.of("Retry-After", "1");

    private final EventStore store;
    private final StoreWriter writer;
    private final WallClock clock;
    private final int maxBody;
    private final StatusTally received;

    EventsResource(EventStore store, StoreWriter writer, WallClock clock, int maxBody, StatusTally received) {
        this.store = store;
        this.writer = writer;
        this.clock = clock;
        this.maxBody = maxBody;
        this.received = received;
    }

    void poll(HttpCall call) throws IOException {
        Map<String, String> params = call.query(PARAMS);
        long since = Query.nonNegative(params, "since", 0);
        int limit = Query.inRange(params, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        String deviceId = params.get("device_id");
        if (deviceId != null && !DeviceId.isValid(deviceId)) {
            throw HttpError.badRequest("invalid device_id");
        }
        // Read before the events: an event purged in between only makes the header conservative.
        long oldest = store.oldestSeq();
        List<StoredEvent> events = store.eventsAfter(since, deviceId, limit);
        call.setHeader("Benchlink-Oldest-Seq", Long.toString(oldest));
        call.json(200, array(events));
    }

    void push(HttpCall call) throws Exception {
        call.query(Set.of());
        String key = idempotencyKey(call.header("Idempotency-Key"));
        DeviceStatus status = StatusJson.fromJson(Json.parseObject(call.body(maxBody)), clock, clock.now());
        received.add(status.status());
        long committedBefore = store.latestSeq();
        CompletableFuture<StoredEvent> done = new CompletableFuture<>();
        if (!writer.submit(new WriteCommand.ClientStatus(key, status, done))) {
            throw new HttpError(503, "gateway busy or stopping; retry later", RETRY);
        }
        StoredEvent event = await(done);
        call.setHeader("Benchlink-Seq", Long.toString(event.seq()));
        // A key whose event was committed before this request arrived is a replay: same event, 200.
        call.json(key != null && event.seq() <= committedBefore ? 200 : 201, event.json());
    }

    private static StoredEvent await(CompletableFuture<StoredEvent> done) {
        try {
            return done.get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the listener is stopping
            throw new HttpError(503, "gateway stopping; retry with the same Idempotency-Key", RETRY);
        } catch (TimeoutException e) {
            throw new HttpError(503, "store did not confirm in time; retry with the same Idempotency-Key", RETRY);
        } catch (ExecutionException e) {
            throw new HttpError(503, "status not stored; retry later", RETRY);
        }
    }

    private static String idempotencyKey(String key) {
        if (key == null) {
            return null;
        }
        if (key.isEmpty() || key.length() > MAX_KEY || !key.chars().allMatch(c -> c > 0x20 && c < 0x7F)) {
            throw HttpError.badRequest("Idempotency-Key must be 1-" + MAX_KEY + " visible ASCII characters");
        }
        return key;
    }

    /** A JSON array of stored events, joined from their stored text (never re-encoded). */
    static String array(List<StoredEvent> events) {
        StringBuilder out = new StringBuilder(2 + events.size() * 260).append('[');
        for (int i = 0; i < events.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(events.get(i).json());
        }
        return out.append(']').toString();
    }
}
