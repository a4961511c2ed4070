package io.benchlink.gateway.subscribe;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Encodes a server-to-client WebSocket text frame (RFC 6455 §5.2: FIN + opcode 1, unmasked) once, so one event
 * fans out to any number of subscribers as duplicates of the same read-only bytes instead of one copy each.
 */
public final class TextFrames {
    private TextFrames() {
    }

    public static ByteBuffer encode(String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        int length = payload.length;
        int header = length <= 125 ? 2 : length <= 0xFFFF ? 4 : 10;
        ByteBuffer frame = ByteBuffer.allocate(header + length);
        frame.put((byte) 0x81);
        if (length <= 125) {
            frame.put((byte) length);
        } else if (length <= 0xFFFF) {
            frame.put((byte) 126).putShort((short) length);
        } else {
            frame.put((byte) 127).putLong(length);
        }
        frame.put(payload).flip();
        return frame.asReadOnlyBuffer();
    }
}
