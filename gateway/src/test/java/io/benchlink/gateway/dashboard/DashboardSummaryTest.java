package io.benchlink.gateway.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.benchlink.common.status.StatusKind;
import io.benchlink.common.time.WallClock;
import io.benchlink.gateway.store.EventStore;
import io.benchlink.gateway.store.ResultCount;
import io.benchlink.gateway.testing.StubEventStore;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code GET /api/summary}: today's results per device and the last hour per minute, in the gateway's zone. */
class DashboardSummaryTest {
    private static final ZoneId MOSCOW = ZoneId.of("Europe/Moscow"); // UTC+3, so local and UTC days differ

    private final List<ResultCount> counts = new ArrayList<>();
    private long askedFrom;
    private long askedMaxSeq;

    private final EventStore store = new StubEventStore() {
        @Override
        public List<ResultCount> resultCounts(long fromMillis, long maxSeq) {
            askedFrom = fromMillis;
            askedMaxSeq = maxSeq;
            return counts;
        }

        @Override
        public long latestSeq() {
            return 777;
        }

        @Override
        public String location() {
            return "test";
        }
    };

    private static long minuteOf(String localTime) {
        return Instant.from(java.time.LocalDateTime.parse(localTime).atZone(MOSCOW)).toEpochMilli() / 60_000;
    }

    private JsonObject summary(String localNow) {
        Instant now = java.time.LocalDateTime.parse(localNow).atZone(MOSCOW).toInstant();
        WallClock clock = new WallClock(Clock.fixed(now, MOSCOW));
        return JsonParser.parseString(DashboardSummary.json(store, clock)).getAsJsonObject();
    }

    private static JsonObject minute(JsonObject summary, int i) {
        return summary.getAsJsonArray("per_minute").get(i).getAsJsonObject();
    }

    @Test
    void todaysResultsAreSummedPerDeviceFromLocalMidnight() {
        counts.add(new ResultCount("bench-a", StatusKind.SUCCESS, minuteOf("2026-03-02T10:30"), 2));
        counts.add(new ResultCount("bench-a", StatusKind.SUCCESS, minuteOf("2026-03-02T08:00"), 3));
        counts.add(new ResultCount("bench-a", StatusKind.FAIL, minuteOf("2026-03-02T09:00"), 1));
        counts.add(new ResultCount("bench-b", StatusKind.ERROR, minuteOf("2026-03-02T00:00"), 5));
        counts.add(new ResultCount("bench-c", StatusKind.SUCCESS, minuteOf("2026-03-01T23:59"), 9));
        JsonObject summary = summary("2026-03-02T10:30:30");

        JsonObject devices = summary.getAsJsonObject("devices");
        assertThat(devices.keySet()).containsExactly("bench-a", "bench-b");
        assertThat(devices.getAsJsonObject("bench-a").toString()).isEqualTo("{\"success\":5,\"fail\":1,\"error\":0}");
        assertThat(devices.getAsJsonObject("bench-b").toString()).isEqualTo("{\"success\":0,\"fail\":0,\"error\":5}");
        assertThat(askedFrom).as("local midnight").isEqualTo(minuteOf("2026-03-02T00:00") * 60_000);
        assertThat(askedMaxSeq).isEqualTo(777);
        assertThat(summary.get("latest_seq").getAsLong()).isEqualTo(777);
        assertThat(summary.get("date").getAsString()).isEqualTo("2026-03-02");
        assertThat(summary.get("now").getAsString()).isEqualTo("2026-03-02T10:30:30.000000");
    }

    @Test
    void theLastSixtyMinutesAreCountedPerMinuteEndingWithTheCurrentOne() {
        counts.add(new ResultCount("bench-a", StatusKind.SUCCESS, minuteOf("2026-03-02T10:30"), 2));
        counts.add(new ResultCount("bench-b", StatusKind.SUCCESS, minuteOf("2026-03-02T10:30"), 1));
        counts.add(new ResultCount("bench-a", StatusKind.FAIL, minuteOf("2026-03-02T09:31"), 4));
        counts.add(new ResultCount("bench-a", StatusKind.ERROR, minuteOf("2026-03-02T09:30"), 8));
        counts.add(new ResultCount("bench-a", StatusKind.ERROR, minuteOf("2026-03-02T10:31"), 16));
        JsonObject summary = summary("2026-03-02T10:30:30");

        JsonArray perMinute = summary.getAsJsonArray("per_minute");
        assertThat(perMinute).hasSize(DashboardSummary.MINUTES);
        assertThat(minute(summary, 0).toString())
                .isEqualTo("{\"minute\":\"2026-03-02T09:31\",\"success\":0,\"fail\":4,\"error\":0}");
        assertThat(minute(summary, 59).toString())
                .isEqualTo("{\"minute\":\"2026-03-02T10:30\",\"success\":3,\"fail\":0,\"error\":0}");
        long errors = 0;
        for (int i = 0; i < perMinute.size(); i++) {
            errors += minute(summary, i).get("error").getAsLong();
        }
        assertThat(errors).as("09:30 is before the hour, 10:31 after now").isZero();
    }

    @Test
    void shortlyAfterMidnightTheHourReachesIntoYesterdayButTheYieldDoesNot() {
        counts.add(new ResultCount("bench-a", StatusKind.FAIL, minuteOf("2026-03-01T23:50"), 1));
        JsonObject summary = summary("2026-03-02T00:20:00");

        assertThat(askedFrom).isEqualTo(minuteOf("2026-03-01T23:21") * 60_000);
        assertThat(summary.getAsJsonObject("devices").keySet()).isEmpty();
        assertThat(minute(summary, 29).toString())
                .isEqualTo("{\"minute\":\"2026-03-01T23:50\",\"success\":0,\"fail\":1,\"error\":0}");
    }
}
