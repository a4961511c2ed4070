package io.benchlink.gateway.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A minimal blocking WebSocket client for measuring (RFC 6455 text frames only): no threads of its own and no
 * JSON parsing, so one subscriber can take hundreds of thousands of frames per second and a thousand idle agents
 * cost a thousand sockets, not two thousand threads. Loopback only; every read has a timeout.
 *
 * <p>Not thread-safe, except that one thread may {@link #sendText} while another reads.
 */
final class LeanWs implements AutoCloseable {
    static final int TEXT = 1;
    static final int CLOSE = 8;
    static final int PING = 9;
    private static final byte[] MASK = {0x12, 0x34, 0x56, 0x78};

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private byte[] payload = new byte[4 * 1024]; // grows to the largest frame
    private int length;
    private int opcode;

    private LeanWs(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 64 * 1024));
        this.out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
    }

    /** Connects and upgrades; throws unless the answer is 101. {@code receiveBuffer} 0 keeps the default. */
    static LeanWs open(int port, String path, int receiveBuffer, int timeoutMillis) throws IOException {
        Socket socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(timeoutMillis);
        socket.connect(new InetSocketAddress("127.0.0.1", port), timeoutMillis);
        LeanWs ws = new LeanWs(socket);
        String request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: MDEyMzQ1Njc4OWFiY2RlZg==\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n";
        ws.out.write(request.getBytes(StandardCharsets.US_ASCII));
        ws.out.flush();
        StringBuilder head = new StringBuilder();
        while (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n")) {
            int b = ws.in.read();
            if (b < 0) {
                throw new EOFException("closed during the handshake: " + head);
            }
            head.append((char) b);
        }
        if (!head.toString().startsWith("HTTP/1.1 101")) {
            socket.close();
            throw new IOException("upgrade refused: " + head.toString().lines().findFirst().orElse(""));
        }
        return ws;
    }

    /** Queues one masked text frame; {@link #flush} sends what is queued. */
    synchronized void queueText(String text) throws IOException {
        byte[] data = text.getBytes(StandardCharsets.UTF_8);
        out.write(0x81);
        if (data.length < 126) {
            out.write(0x80 | data.length);
        } else if (data.length < 65_536) {
            out.write(0x80 | 126);
            out.write(data.length >>> 8);
            out.write(data.length & 0xFF);
        } else {
            throw new IOException("frame too large for this client");
        }
        out.write(MASK);
        for (int i = 0; i < data.length; i++) {
            data[i] ^= MASK[i & 3];
        }
        out.write(data);
    }

    private synchronized void pong() throws IOException {
        out.write(0x8A);
        out.write(0x80 | length); // a ping's payload is at most 125 bytes
        out.write(MASK);
        for (int i = 0; i < length; i++) {
            out.write(payload[i] ^ MASK[i & 3]);
        }
        out.flush();
    }

    synchronized void flush() throws IOException {
        out.flush();
    }

    void sendText(String text) throws IOException {
        queueText(text);
        flush();
    }

    /** Reads the next data or close frame (pings and pongs are skipped); returns its opcode. */
    int next() throws IOException {
        while (true) {
            int b0 = in.readUnsignedByte();
            int b1 = in.readUnsignedByte();
            long len = b1 & 0x7F;
            if (len == 126) {
                len = in.readUnsignedShort();
            } else if (len == 127) {
                len = in.readLong();
            }
            if ((b1 & 0x80) != 0) {
                in.skipNBytes(4); // a server never masks, but tolerate it
            }
            if (len > Integer.MAX_VALUE - 8) {
                throw new IOException("frame of " + len + " bytes");
            }
            length = (int) len;
            if (payload.length < length) {
                payload = Arrays.copyOf(payload, Math.max(length, payload.length * 2));
            }
            in.readFully(payload, 0, length);
            opcode = b0 & 0x0F;
            if (opcode == TEXT || opcode == CLOSE || opcode == 0 || opcode == 2) {
                return opcode;
            }
            if (opcode == PING) {
                pong(); // the gateway drops a connection that stays silent past its idle timeout
            }
        }
    }

    String text() {
        return new String(payload, 0, length, StandardCharsets.UTF_8);
    }

    /** For a close frame: its code, or 1005 when it has none. */
    int closeCode() {
        return opcode == CLOSE && length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
    }

    /** The number after {@code "seq":} in the current frame (the last one when a frame holds several), or -1. */
    long lastSeq() {
        for (int i = length - 7; i >= 0; i--) {
            if (payload[i] == '"' && payload[i + 1] == 's' && payload[i + 2] == 'e' && payload[i + 3] == 'q'
                    && payload[i + 4] == '"' && payload[i + 5] == ':') {
                return number(payload, i + 6, length);
            }
        }
        return -1;
    }

    static long number(byte[] bytes, int from, int end) {
        long value = 0;
        int i = from;
        while (i < end && bytes[i] == ' ') {
            i++;
        }
        boolean any = false;
        while (i < end && bytes[i] >= '0' && bytes[i] <= '9') {
            value = value * 10 + (bytes[i++] - '0');
            any = true;
        }
        return any ? value : -1;
    }

    void timeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // a measuring client: nothing to save
        }
    }
}
