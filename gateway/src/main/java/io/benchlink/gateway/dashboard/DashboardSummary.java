package io.benchlink.gateway.dashboard;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.benchlink.common.json.Json;
import io.benchlink.common.status.StatusKind;
import io.benchlink.common.time.WallClock;
import io.benchlink.gateway.store.EventStore;
import io.benchlink.gateway.store.ResultCount;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the dashboard needs besides the live stream ({@code GET /api/summary}): today's results per device (the
 * yield) and the last hour's results per minute, counted up to {@code latest_seq}; the page adds live events
 * newer than that. Days and minutes are the gateway zone's wall clock, like {@code updated_at}. Stateless.
 */
public final class DashboardSummary {
    public static final int MINUTES = 60;
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm");
    private static final List<StatusKind> RESULTS = List.of(StatusKind.SUCCESS, StatusKind.FAIL, StatusKind.ERROR);

    private DashboardSummary() {
    }

    public static String json(EventStore store, WallClock clock) {
        ZoneId zone = clock.zone();
        LocalDateTime now = clock.now();
        long nowMinute = clock.clock().millis() / 60_000;
        long firstMinute = nowMinute - MINUTES + 1;
        long midnight = now.toLocalDate().atStartOfDay(zone).toInstant().toEpochMilli();
        long latest = store.latestSeq();
        List<ResultCount> counts = store.resultCounts(Math.min(midnight, firstMinute * 60_000), latest);

        Map<String, JsonObject> devices = new TreeMap<>();
        long[][] perMinute = new long[MINUTES][RESULTS.size()];
        for (ResultCount c : counts) {
            if (c.epochMinute() * 60_000 >= midnight) {
                JsonObject device = devices.computeIfAbsent(c.deviceId(), id -> zeroes());
                String name = c.status().wireName();
                device.addProperty(name, device.get(name).getAsLong() + c.count());
            }
            if (c.epochMinute() >= firstMinute && c.epochMinute() <= nowMinute) {
                perMinute[(int) (c.epochMinute() - firstMinute)][RESULTS.indexOf(c.status())] += c.count();
            }
        }
        JsonObject out = new JsonObject();
        out.addProperty("date", now.toLocalDate().toString());
        out.addProperty("now", WallClock.format(now));
        out.addProperty("latest_seq", latest);
        JsonObject yield = new JsonObject();
        devices.forEach(yield::add);
        out.add("devices", yield);
        out.add("per_minute", minutes(perMinute, firstMinute, zone));
        return Json.GSON.toJson(out);
    }

    private static JsonArray minutes(long[][] perMinute, long firstMinute, ZoneId zone) {
        JsonArray minutes = new JsonArray();
        for (int i = 0; i < MINUTES; i++) {
            JsonObject minute = new JsonObject();
            minute.addProperty("minute",
                    MINUTE.format(Instant.ofEpochSecond((firstMinute + i) * 60).atZone(zone).toLocalDateTime()));
            for (int k = 0; k < RESULTS.size(); k++) {
                minute.addProperty(RESULTS.get(k).wireName(), perMinute[i][k]);
            }
            minutes.add(minute);
        }
        return minutes;
    }

    private static JsonObject zeroes() {
        JsonObject counts = new JsonObject();
        RESULTS.forEach(kind -> counts.addProperty(kind.wireName(), 0));
        return counts;
    }
}
