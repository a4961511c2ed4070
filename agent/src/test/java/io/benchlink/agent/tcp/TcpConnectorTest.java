package io.benchlink.agent.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.benchlink.agent.source.Connection;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The TCP link's contract with the reader (read 0 = nothing yet, -1 = gone) against a loopback server socket. */
@Timeout(20)
class TcpConnectorTest {
    private ServerSocket server;
    private TcpConnector connector;

    @BeforeEach
    void listen() throws IOException {
        server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        connector = new TcpConnector("127.0.0.1", server.getLocalPort(), Duration.ofSeconds(5));
    }

    @AfterEach
    void close() throws IOException {
        server.close();
    }

    @Test
    void describesItselfByHostAndPort() {
        assertThat(connector.describe()).isEqualTo("tcp:127.0.0.1:" + server.getLocalPort());
        assertThat(connector.kind()).isEqualTo("tcp");
    }

    @Test
    void readsWhatTheServerSendsAndWritesWhatTheReaderSends() throws IOException {
        try (Connection connection = connector.open(); Socket peer = server.accept()) {
            peer.getOutputStream().write("RESULT=PASS\n".getBytes(StandardCharsets.US_ASCII));
            byte[] buffer = new byte[64];
            int n = readAtLeast(connection, buffer, 12);
            assertThat(new String(buffer, 0, n, StandardCharsets.US_ASCII)).isEqualTo("RESULT=PASS\n");

            connection.write("STATUS?\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = peer.getInputStream();
            assertThat(new String(in.readNBytes(9), StandardCharsets.US_ASCII)).isEqualTo("STATUS?\r\n");
        }
    }

    @Test
    void aQuietServerReadsAsNothingYetWithinAboutHalfASecond() throws IOException {
        try (Connection connection = connector.open(); Socket peer = server.accept()) {
            long started = System.nanoTime();
            assertThat(connection.read(new byte[64])).isZero();
            assertThat(Duration.ofNanos(System.nanoTime() - started))
                    .isGreaterThanOrEqualTo(Duration.ofMillis(TcpConnector.READ_TIMEOUT_MS - 50));
            assertThat(peer.isClosed()).isFalse();
        }
    }

    @Test
    void aServerThatClosedReadsAsGone() throws IOException {
        try (Connection connection = connector.open()) {
            server.accept().close();
            int n;
            do {
                n = connection.read(new byte[64]);
            } while (n == 0);
            assertThat(n).isEqualTo(-1);
        }
    }

    @Test
    void closingTwiceIsHarmlessAndTheSocketIsReleased() throws IOException {
        Connection connection = connector.open();
        try (Socket peer = server.accept()) {
            connection.close();
            connection.close();
            peer.setSoTimeout(5_000);
            assertThat(peer.getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void aRefusedConnectionIsAnIoExceptionWithAOneLineReason() throws IOException {
        int port = server.getLocalPort();
        server.close();
        TcpConnector refused = new TcpConnector("127.0.0.1", port, Duration.ofSeconds(5));
        assertThatThrownBy(refused::open)
                .isInstanceOf(IOException.class)
                .satisfies(e -> assertThat(e.getMessage()).isNotBlank().doesNotContain("\n"))
                .hasCauseInstanceOf(IOException.class);
    }

    private static int readAtLeast(Connection connection, byte[] buffer, int wanted) throws IOException {
        int total = 0;
        byte[] chunk = new byte[buffer.length];
        while (total < wanted) {
            int n = connection.read(chunk);
            assertThat(n).as("bytes read").isNotNegative();
            System.arraycopy(chunk, 0, buffer, total, n);
            total += n;
        }
        return total;
    }
}
