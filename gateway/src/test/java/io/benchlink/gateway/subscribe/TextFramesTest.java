package io.benchlink.gateway.subscribe;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** RFC 6455 §5.2 server frames: FIN + text opcode, no mask, 7-, 16- or 64-bit length. */
class TextFramesTest {
    private static String text(int length) {
        return "x".repeat(length);
    }

    @Test
    void upTo125BytesTheLengthFitsTheSecondByte() {
        ByteBuffer frame = TextFrames.encode(text(125));

        assertThat(frame.remaining()).isEqualTo(2 + 125);
        assertThat(frame.get(0)).isEqualTo((byte) 0x81);
        assertThat(frame.get(1)).isEqualTo((byte) 125);
    }

    @Test
    void from126BytesASixteenBitLengthFollows() {
        ByteBuffer frame = TextFrames.encode(text(126));

        assertThat(frame.remaining()).isEqualTo(4 + 126);
        assertThat(frame.get(1)).isEqualTo((byte) 126);
        assertThat(frame.getShort(2)).isEqualTo((short) 126);
    }

    @Test
    void upTo65535BytesTheLengthStaysSixteenBits() {
        ByteBuffer frame = TextFrames.encode(text(0xFFFF));

        assertThat(frame.remaining()).isEqualTo(4 + 0xFFFF);
        assertThat(frame.getShort(2) & 0xFFFF).isEqualTo(0xFFFF);
    }

    @Test
    void from65536BytesASixtyFourBitLengthFollows() {
        ByteBuffer frame = TextFrames.encode(text(0x10000));

        assertThat(frame.remaining()).isEqualTo(10 + 0x10000);
        assertThat(frame.get(1)).isEqualTo((byte) 127);
        assertThat(frame.getLong(2)).isEqualTo(0x10000L);
    }

    @Test
    void theLengthCountsUtf8BytesNotCharacters() {
        ByteBuffer frame = TextFrames.encode("Привет");

        assertThat(frame.get(1)).isEqualTo((byte) 12);
        assertThat(RecordingOutlet.decode(frame)).containsExactly("Привет");
    }

    @Test
    void theFrameIsReadOnlySoSubscribersCanShareIt() {
        assertThat(TextFrames.encode("{}").isReadOnly()).isTrue();
    }
}
