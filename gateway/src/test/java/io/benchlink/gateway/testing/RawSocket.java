package io.benchlink.gateway.testing;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A WebSocket peer written byte by byte, for the contract's edges that a well-behaved client cannot reach: a
 * handshake answered with 404, a subscriber that never reads, a client that never answers pings.
 */
public final class RawSocket implements AutoCloseable {
    private final Socket socket;

    private RawSocket(Socket socket) {
        this.socket = socket;
    }

    /** Opens a socket with a small receive buffer (so a non-reading client stalls quickly), or the default for 0. */
    public static RawSocket open(int port, int receiveBuffer) throws IOException {
        Socket socket = new Socket();
        if (receiveBuffer > 0) { // 0: the system's default
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.setSoTimeout(10_000);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        return new RawSocket(socket);
    }

    /**
     * Sends an upgrade request and returns the response status line and headers. {@code path} goes out one byte per
     * char (ISO-8859-1), so a test can send any octet; {@code ""} when the server hangs up without an answer.
     */
    public String handshake(String path) throws IOException {
        String key = Base64.getEncoder().encodeToString("0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
        String request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
        OutputStream out = socket.getOutputStream();
        out.write(request.getBytes(StandardCharsets.ISO_8859_1)); // byte for byte: hostile paths carry any octet
        out.flush();
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        return head.toString();
    }

    /** One frame from the server (servers do not mask). */
    public record Frame(int opcode, byte[] payload) {
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** The close code of a close frame (1005 when it carries none). */
        public int closeCode() {
            return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
        }
    }

    /** Reads the next frame; throws {@code EOFException} when the server has closed the connection. */
    public Frame readFrame() throws IOException {
        DataInputStream in = new DataInputStream(socket.getInputStream());
        int b0 = in.readUnsignedByte();
        int b1 = in.readUnsignedByte();
        long length = b1 & 0x7f;
        if (length == 126) {
            length = in.readUnsignedShort();
        } else if (length == 127) {
            length = in.readLong();
        }
        byte[] payload = new byte[Math.toIntExact(length)];
        in.readFully(payload);
        return new Frame(b0 & 0x0f, payload);
    }

    /** Writes raw bytes (a partial or hostile request). */
    public void write(byte[] bytes) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(bytes);
        out.flush();
    }

    /** True once the server has closed the TCP connection (reads until EOF or the timeout). */
    public boolean closedByServer() {
        try {
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            while (true) {
                if (in.read(buffer) < 0) {
                    return true;
                }
            }
        } catch (IOException e) {
            return e.getMessage() != null && e.getMessage().contains("reset");
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
