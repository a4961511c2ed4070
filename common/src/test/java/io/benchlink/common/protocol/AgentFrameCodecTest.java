package io.benchlink.common.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.benchlink.common.status.DeviceStatus;
import io.benchlink.common.status.StatusKind;
import io.benchlink.common.time.WallClock;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AgentFrameCodecTest {
    private final AgentFrameCodec codec = new AgentFrameCodec(WallClock.system());
    private final LocalDateTime now = LocalDateTime.of(2025, 8, 28, 14, 54, 58);

    @Test
    void encodesFramesExactlyAsTheContractShowsThem() {
        assertThat(codec.encode(new Hello("rig-07", "t", List.of("bench-07", "bench-08"))))
                .isEqualTo("{\"type\":\"hello\",\"agent_id\":\"rig-07\",\"token\":\"t\","
                        + "\"devices\":[\"bench-07\",\"bench-08\"]}");
        assertThat(codec.encode(new Welcome(41))).isEqualTo("{\"type\":\"welcome\",\"last_seq\":41}");
        assertThat(codec.encode(new Ack(42))).isEqualTo("{\"type\":\"ack\",\"seq\":42}");
        assertThat(codec.encode(new ErrorFrame("bad token"))).isEqualTo("{\"type\":\"error\",\"message\":\"bad token\"}");
        assertThat(codec.encode(new ErrorFrame("owned by rig-07", 42, "bench-07")))
                .isEqualTo("{\"type\":\"error\",\"seq\":42,\"device_id\":\"bench-07\",\"message\":\"owned by rig-07\"}");
    }

    @Test
    void roundTripsEveryFrame() throws FrameException {
        DeviceStatus status = new DeviceStatus("aa:bb:cc:dd:ee:ff", "SN", StatusKind.FAIL, now.minusSeconds(5),
                now, now, "3 of 12 failed", "bench-07", 0);
        for (AgentFrame frame : List.of(new Hello("rig-07", null, List.of("a")), new Welcome(0),
                new StatusFrame(42, status), new Ack(42), new ErrorFrame("x"),
                new ErrorFrame("bench-07 is owned by rig-07", 42, "bench-07"))) {
            assertThat(codec.decode(codec.encode(frame), now)).isEqualTo(frame);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not json", "[]", "{\"type\":\"status\"}", "{\"type\":7}", "{\"type\":\"bogus\"}",
        "{\"type\":\"status\",\"seq\":\"1\",\"status\":{}}", "{\"type\":\"status\",\"seq\":0,\"status\":"
            + "{\"status\":\"success\",\"device_id\":\"a\"}}", "{\"type\":\"status\",\"seq\":1.5,\"status\":{}}",
        "{\"type\":\"hello\",\"agent_id\":\"a b\"}", "{\"type\":\"hello\",\"agent_id\":\"a\",\"devices\":[1]}",
        "{\"type\":\"status\",\"seq\":1,\"status\":{\"status\":\"passed\",\"device_id\":\"a\"}}"})
    void everyBadFrameBecomesAOneLineFrameException(String text) {
        assertThatThrownBy(() -> codec.decode(text, now))
                .isInstanceOf(FrameException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void helloToStringNeverShowsTheToken() {
        assertThat(new Hello("rig", "s3cret", List.of()).toString()).doesNotContain("s3cret");
    }
}
