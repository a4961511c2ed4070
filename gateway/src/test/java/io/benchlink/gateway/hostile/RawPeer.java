package io.benchlink.gateway.hostile;

import io.benchlink.gateway.testing.RawSocket;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * A WebSocket client written frame by frame, so the hostile suite can send what no library would: invalid UTF-8,
 * wrong opcodes, frames announcing more than they carry. Reads the server's answer up to its close frame.
 */
final class RawPeer implements AutoCloseable {
    static final int TEXT = 0x1;
    static final int BINARY = 0x2;
    static final int CLOSE = 0x8;

    /** What the server answered: its text frames and its close code (-1 if the TCP connection just ended). */
    record Answer(String status, java.util.List<String> texts, int closeCode) {
    }

    private final RawSocket socket;
    private final Random random = new Random(1);

    RawPeer(int port) throws IOException {
        this(port, 0);
    }

    /** With a small receive buffer ({@code receiveBuffer} > 0), so a peer that never reads stalls the server soon. */
    RawPeer(int port, int receiveBuffer) throws IOException {
        socket = RawSocket.open(port, receiveBuffer);
    }

    /** Sends the upgrade request; returns the status line of the answer. */
    String upgrade(String path) throws IOException {
        String head = socket.handshake(path);
        int eol = head.indexOf("\r\n");
        return eol < 0 ? head : head.substring(0, eol);
    }

    void text(String text) throws IOException {
        frame(TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    /** A final, masked frame with any opcode and payload. */
    void frame(int opcode, byte[] payload) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x80 | opcode);
        if (payload.length < 126) {
            out.write(0x80 | payload.length);
        } else if (payload.length < 65536) {
            out.write(0x80 | 126);
            out.write(payload.length >>> 8);
            out.write(payload.length & 0xff);
        } else {
            out.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                out.write((int) ((long) payload.length >>> shift) & 0xff);
            }
        }
        byte[] mask = new byte[4];
        random.nextBytes(mask);
        out.write(mask, 0, 4);
        for (int i = 0; i < payload.length; i++) {
            out.write(payload[i] ^ mask[i % 4]);
        }
        socket.write(out.toByteArray());
    }

    /** Raw bytes, not framed at all. */
    void raw(byte[] bytes) throws IOException {
        socket.write(bytes);
    }

    /** Says goodbye (close 1000) unless the server already did, then reads every frame until the server's close. */
    Answer finish(String status) throws IOException {
        try {
            frame(CLOSE, new byte[] {0x03, (byte) 0xe8});
        } catch (IOException e) {
            // the server closed first; its frames may still be readable
        }
        java.util.List<String> texts = new java.util.ArrayList<>();
        try {
            while (true) {
                RawSocket.Frame frame = socket.readFrame();
                if (frame.opcode() == CLOSE) {
                    return new Answer(status, texts, frame.closeCode());
                }
                if (frame.opcode() == TEXT) {
                    texts.add(frame.text());
                }
            }
        } catch (EOFException | java.net.SocketException e) {
            return new Answer(status, texts, -1);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
