package io.benchlink.common.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.benchlink.common.status.DeviceStatus;
import io.benchlink.common.status.StatusKind;
import io.benchlink.common.time.WallClock;
import java.time.LocalDateTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class StatusJsonTest {
    private final WallClock clock = WallClock.of(ZoneId.of("Europe/Moscow"));
    private final LocalDateTime now = LocalDateTime.of(2025, 8, 28, 14, 54, 58, 97_435_000);

    @Test
    void writesTheEightSeedFieldsInOrderWithNullsAndSeq() {
        DeviceStatus status = new DeviceStatus("aa-bb-cc-dd-ee-ff", "SN-000123", StatusKind.SUCCESS,
                LocalDateTime.of(2025, 8, 28, 14, 52, 34, 615_642_000),
                LocalDateTime.of(2025, 8, 28, 14, 54, 52, 29_134_000), now, "all 12 checks passed", "bench-07",
                1042);
        assertThat(StatusJson.toJson(status)).isEqualTo("{\"mac_address\":\"AA:BB:CC:DD:EE:FF\","
                + "\"serial_number\":\"SN-000123\",\"status\":\"success\","
                + "\"time_start\":\"2025-08-28T14:52:34.615642\",\"time_end\":\"2025-08-28T14:54:52.029134\","
                + "\"updated_at\":\"2025-08-28T14:54:58.097435\",\"result\":\"all 12 checks passed\","
                + "\"device_id\":\"bench-07\",\"seq\":1042}");
    }

    @Test
    void writesNullTimesAndResultWhenNoTestRan() {
        String json = StatusJson.toJson(DeviceStatus.link("bench-07", StatusKind.ONLINE, null, now));
        assertThat(json).contains("\"time_start\":null", "\"time_end\":null", "\"result\":null",
                "\"mac_address\":\"unknown\"").doesNotContain("\"seq\"");
    }

    @Test
    void roundTripsThroughStoredJson() {
        DeviceStatus status = new DeviceStatus("AABBCCDDEEFF", "SN-1", StatusKind.FAIL, now.minusSeconds(9),
                now.minusSeconds(1), now, "checks failed: 3", "b.1", 7);
        assertThat(StatusJson.fromStoredJson(StatusJson.toJson(status), clock)).isEqualTo(status);
    }

    @Test
    void readingFillsMissingUpdatedAtAndIgnoresClientSeq() {
        DeviceStatus status = StatusJson.fromJson(Json.parseObject(
                "{\"status\":\"error\",\"device_id\":\"x\",\"seq\":99,\"extra\":1}"), clock, now);
        assertThat(status.updatedAt()).isEqualTo(now);
        assertThat(status.seq()).isZero();
        assertThat(status.macAddress()).isEqualTo("unknown");
    }

    @Test
    void refusesWrongTypesNamingTheField() {
        assertThatThrownBy(() -> StatusJson.fromJson(Json.parseObject(
                "{\"status\":\"success\",\"device_id\":\"x\",\"result\":5}"), clock, now))
                .hasMessageStartingWith("result must be a string");
        assertThatThrownBy(() -> StatusJson.fromJson(Json.parseObject("{\"device_id\":\"x\"}"), clock, now))
                .hasMessageStartingWith("status is required");
    }

    @Test
    void parserRefusesDeepNestingTrailingDataAndNonObjects() {
        assertThatThrownBy(() -> Json.parseObject("[".repeat(10_000))).hasMessageContaining("nesting");
        assertThatThrownBy(() -> Json.parseObject("{} {}")).hasMessageContaining("trailing");
        assertThatThrownBy(() -> Json.parseObject("[1]")).hasMessageContaining("object");
        assertThatThrownBy(() -> Json.parseObject("{'a':1}")).isInstanceOf(com.google.gson.JsonParseException.class);
    }
}
