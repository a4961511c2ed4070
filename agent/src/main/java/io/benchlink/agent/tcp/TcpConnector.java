package io.benchlink.agent.tcp;

import io.benchlink.agent.source.Connection;
import io.benchlink.agent.source.Connector;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/**
 * A raw TCP serial server ({@code tcp:HOST:PORT}: serial device servers, ser2net). The host name is resolved
 * again on every {@link #open()}, so a server that moved to a new address is found. Stateless apart from its address.
 */
public final class TcpConnector implements Connector {
    static final int READ_TIMEOUT_MS = 500;
    private final String host;
    private final int port;
    private final Duration connectTimeout;

    public TcpConnector(String host, int port, Duration connectTimeout) {
        this.host = host;
        this.port = port;
        this.connectTimeout = connectTimeout;
    }

    @Override
    public Connection open() throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(host, port), (int) connectTimeout.toMillis());
            socket.setSoTimeout(READ_TIMEOUT_MS);
            socket.setKeepAlive(true);
            socket.setTcpNoDelay(true);
            return new TcpConnection(socket, describe());
        } catch (IOException e) {
            socket.close();
            throw new IOException(TcpErrors.opening(describe(), host, connectTimeout, e), e);
        }
    }

    @Override
    public String describe() {
        return "tcp:" + host + ":" + port;
    }

    @Override
    public String kind() {
        return "tcp";
    }
}
