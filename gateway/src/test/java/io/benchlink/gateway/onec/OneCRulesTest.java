package io.benchlink.gateway.onec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pure rules the 1C modules and their Java twins share: JSON values, seq, time, key, close codes, backoff. */
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
    void readsJsonAsOneCDoesNumbersStayNumbersAndNullIsUndefined() {
        Object value = OneCJson.read("{\"status\":\"fail\",\"time_start\":null,\"seq\":1042,\"ok\":true,\"a\":[1]}");

        assertThat(value).isInstanceOf(Map.class);
        Map<?, ?> map = (Map<?, ?>) value;
        assertThat(map.get("status")).isEqualTo("fail");
        assertThat(map.get("seq")).isEqualTo(new BigDecimal("1042"));
        assertThat(map.get("ok")).isEqualTo(Boolean.TRUE);
        assertThat(map.get("a")).isEqualTo(List.of(new BigDecimal("1")));
        assertThat(map.containsKey("time_start")).isTrue();
        assertThat(map.get("time_start")).isNull();
    }

    @Test
    void acceptsOnlyAWholePositiveNumberAsSeqAndRejectsAStringSeq() {
        assertThat(OneCEventHandling.readSeq(OneCJson.read("{\"seq\":42}"))).isEqualTo(42L);
        assertThat(OneCEventHandling.readSeq(OneCJson.read("{\"seq\":42.0}"))).isEqualTo(42L);
        for (String seq : new String[] {"\"42\"", "0", "-1", "4.5", "null", "true", "1e30"}) {
            assertThat(OneCEventHandling.readSeq(OneCJson.read("{\"seq\":" + seq + "}"))).as("seq %s", seq).isNull();
        }
        OneCEventHandling handling = new OneCEventHandling();
        assertThat(handling.processData("all", OneCJson.read(event("\"7\"", "online"))))
                .isEqualTo(OneCEventHandling.Outcome.DROPPED);
        assertThat(handling.position("all")).isZero();
    }

    @Test
    void countsACallbackOnlyWhenItsConnectionKeyIsReadableAndCurrent() {
        assertThat(OneCWebSocketClient.isCurrent("k1", "not a connection")).isFalse();
        assertThat(OneCWebSocketClient.isCurrent("k1", null)).isFalse();
        assertThat(OneCWebSocketClient.isCurrent("", null)).isFalse();
    }

    @Test
    void skipsADuplicateAndDropsAnInvalidEventButMovesPastIt() {
        OneCEventHandling handling = new OneCEventHandling();
        Object valid = OneCJson.read(event("7", "online"));
        Object invalid = OneCJson.read(event("8", "passed"));

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

    private static String event(String seq, String status) {
        return "{\"mac_address\":\"unknown\",\"serial_number\":\"unknown\",\"status\":\"" + status + "\","
                + "\"time_start\":null,\"time_end\":null,\"updated_at\":\"2025-08-28T14:54:58.097435\","
                + "\"result\":null,\"device_id\":\"bench-07\",\"seq\":" + seq + "}";
    }
}
