package io.benchlink.agent.tcp;

import io.benchlink.agent.source.Connection;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * One TCP connection to a serial server; a read timeout is "nothing yet", EOF or an error is "gone". One reader
 * thread.
 */
final class TcpConnection implements Connection {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final String server;

    TcpConnection(Socket socket, String server) throws IOException {
        this.socket = socket;
        this.server = server;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    @Override
    public int read(byte[] buffer) throws IOException {
        try {
            return in.read(buffer);
        } catch (SocketTimeoutException e) {
            return 0;
        } catch (IOException e) {
            throw new IOException(TcpErrors.reading(server, e), e);
        }
    }

    @Override
    public void write(byte[] data) throws IOException {
        try {
            out.write(data);
            out.flush();
        } catch (IOException e) {
            throw new IOException(TcpErrors.writing(server, e), e);
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing a broken socket can fail; it is released either way
        }
    }
}
