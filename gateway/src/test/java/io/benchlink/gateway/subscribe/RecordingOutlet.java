package io.benchlink.gateway.subscribe;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A subscriber connection for the hub's unit tests: keeps what was queued, decoded back from the WebSocket frames,
 * with a backlog the test drains (as the network thread would by writing) and the close the hub asked for.
 */
final class RecordingOutlet implements Outlet {
    private static final Pattern SEQ = Pattern.compile("\"seq\":(\\d+)");

    final List<String> texts = new ArrayList<>();
    /** How many messages each {@link #send} carried. */
    final List<Integer> sends = new ArrayList<>();
    int backlog;
    int flushes;
    boolean open = true;
    Integer closeCode;
    String closeReason;

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public int backlog() {
        return backlog;
    }

    @Override
    public void send(ByteBuffer frames, int messages) {
        List<String> decoded = decode(frames);
        if (decoded.size() != messages) {
            throw new AssertionError(messages + " messages announced, " + decoded.size() + " frames queued");
        }
        texts.addAll(decoded);
        sends.add(messages);
        backlog += messages;
    }

    @Override
    public void flush() {
        flushes++;
    }

    @Override
    public void close(int code, String reason) {
        closeCode = code;
        closeReason = reason;
        open = false;
    }

    /** The network thread wrote everything queued. */
    void drain() {
        backlog = 0;
    }

    /** The seq of every event queued so far, in order. */
    List<Long> seqs() {
        List<Long> seqs = new ArrayList<>();
        for (String text : texts) {
            Matcher m = SEQ.matcher(text);
            if (!m.find()) {
                throw new AssertionError("no seq in " + text);
            }
            seqs.add(Long.parseLong(m.group(1)));
        }
        return seqs;
    }

    /** Server-to-client text frames (RFC 6455 §5.2: FIN + opcode 1, unmasked), back to back. */
    static List<String> decode(ByteBuffer frames) {
        ByteBuffer in = frames.duplicate();
        List<String> texts = new ArrayList<>();
        while (in.hasRemaining()) {
            int first = in.get() & 0xFF;
            if (first != 0x81) {
                throw new AssertionError("not a final text frame: " + Integer.toHexString(first));
            }
            int len = in.get() & 0xFF;
            long length = len == 126 ? in.getShort() & 0xFFFF : len == 127 ? in.getLong() : len;
            byte[] payload = new byte[(int) length];
            in.get(payload);
            texts.add(new String(payload, StandardCharsets.UTF_8));
        }
        return texts;
    }
}
