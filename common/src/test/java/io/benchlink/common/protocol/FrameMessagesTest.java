package io.benchlink.common.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.benchlink.common.time.WallClock;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a peer reads when its frame is refused, and how absent fields are written (PROTOCOL.md §3). */
class FrameMessagesTest {
    private final AgentFrameCodec codec = new AgentFrameCodec(WallClock.system());
    private final LocalDateTime now = LocalDateTime.of(2025, 8, 28, 14, 54, 58);

    @Test
    void anUnknownTypeIsQuotedInFullUpTo40Characters() {
        String type = "t".repeat(40);
        assertThatThrownBy(() -> codec.decode("{\"type\":\"" + type + "\"}", now))
                .hasMessage("unknown frame type \"" + type + "\"");
    }

    @Test
    void aLongerUnknownTypeIsCutAt40Characters() {
        String type = "t".repeat(41);
        assertThatThrownBy(() -> codec.decode("{\"type\":\"" + type + "\"}", now))
                .hasMessage("unknown frame type \"" + "t".repeat(40) + "...\"");
    }

    @Test
    void aMissingTypeIsNamedAsNull() {
        assertThatThrownBy(() -> codec.decode("{\"type\":null}", now)).hasMessage("unknown frame type null");
    }

    @Test
    void textThatIsNotJsonIsRefusedWithGsonsReasonOnOneLine() {
        assertThatThrownBy(() -> codec.decode("{\"type\":\n\"hello\"", now))
                .isInstanceOf(FrameException.class)
                .satisfies(e -> assertThat(e.getMessage())
                        .startsWith("not a JSON object: ")
                        .hasSizeGreaterThan("not a JSON object: ".length() + 10)
                        .doesNotContain("unreadable")
                        .doesNotContain("\n"));
    }

    @Test
    void absentTokenAndMessageAreWrittenAsJsonNull() {
        assertThat(codec.encode(new Hello("rig-07", null, List.of())))
                .isEqualTo("{\"type\":\"hello\",\"agent_id\":\"rig-07\",\"token\":null,\"devices\":[]}");
        assertThat(codec.encode(new ErrorFrame(null))).isEqualTo("{\"type\":\"error\",\"message\":null}");
    }
}
