package io.benchlink.gateway.onec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDateTime;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pure rules the 1C modules and their Java twins share: time conversion, frame map, close codes, backoff. */
class OneCRulesTest {

    @Test
    void convertsAGatewayTimeToWholeSecondsFromItsFirst19Characters() {
        assertThat(OneCEventHandling.toOneCDate("2025-08-28T14:54:52.029134"))
                .isEqualTo(LocalDateTime.of(2025, 8, 28, 14, 54, 52));
    }

    @Test
    void rejectsTimesWithoutExactlySixFractionDigits() {
        assertThatThrownBy(() -> OneCEventHandling.toOneCDate("2025-08-28T14:54:52")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OneCEventHandling.toOneCDate("2025-08-28T14:54:52.02913"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OneCEventHandling.toOneCDate("2025-08-28T14:54:52.02913x"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void readsEveryFieldAsAStringAndJsonNullAsNull() {
        Map<String, String> map = OneCEventHandling.parseFrame(
                "{\"status\":\"fail\",\"time_start\":null,\"seq\":1042,\"result\":\"x\"}");

        assertThat(map).containsEntry("status", "fail").containsEntry("seq", "1042").containsEntry("result", "x");
        assertThat(map).containsKey("time_start");
        assertThat(map.get("time_start")).isNull();
    }

    @Test
    void skipsADuplicateAndDropsAnInvalidEventButMovesPastIt() {
        OneCEventHandling handling = new OneCEventHandling();
        Map<String, String> valid = OneCEventHandling.parseFrame("{\"mac_address\":\"unknown\",\"serial_number\":\"unknown\","
                + "\"status\":\"online\",\"time_start\":null,\"time_end\":null,"
                + "\"updated_at\":\"2025-08-28T14:54:58.097435\",\"result\":null,\"device_id\":\"bench-07\",\"seq\":7}");
        Map<String, String> invalid = new java.util.HashMap<>(valid);
        invalid.put("seq", "8");
        invalid.put("status", "passed");

        assertThat(handling.processData("all", valid)).isEqualTo(OneCEventHandling.Outcome.PROCESSED);
        assertThat(handling.processData("all", valid)).isEqualTo(OneCEventHandling.Outcome.DUPLICATE);
        assertThat(handling.processData("all", invalid)).isEqualTo(OneCEventHandling.Outcome.DROPPED);
        assertThat(handling.position("all")).isEqualTo(8);
        assertThat(handling.handledCount()).isEqualTo(1);
        assertThat(handling.errors()).hasSize(1);
    }

    @Test
    void stopsOnlyOn4400And4401() {
        assertThat(OneCWebSocketClient.decide(4400)).isEqualTo(OneCWebSocketClient.Decision.STOP);
        assertThat(OneCWebSocketClient.decide(4401)).isEqualTo(OneCWebSocketClient.Decision.STOP);
        for (int code : new int[] {1013, 1001, 1011, 1006, 1000, -1}) {
            assertThat(OneCWebSocketClient.decide(code)).as("code %d", code).isEqualTo(OneCWebSocketClient.Decision.RECONNECT);
        }
    }

    @Test
    void backsOffByDoublingUpToSixtyUnits() {
        assertThat(new double[] {
                OneCWebSocketClient.backoffUnits(1, 0), OneCWebSocketClient.backoffUnits(2, 0),
                OneCWebSocketClient.backoffUnits(3, 0), OneCWebSocketClient.backoffUnits(6, 0),
                OneCWebSocketClient.backoffUnits(7, 0), OneCWebSocketClient.backoffUnits(50, 0.5)})
                .containsExactly(1, 2, 4, 32, 60, 60.5);
    }
}
