package io.benchlink.agent.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The JDK's socket exceptions in the words an operator reads in a tester's offline reason. */
class TcpErrorsTest {
    private static final String SERVER = "tcp:10.0.0.5:4001";
    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    private static String opening(IOException e) {
        return TcpErrors.opening(SERVER, "10.0.0.5", TIMEOUT, e);
    }

    @Test
    void namesEachKindOfConnectFailure() {
        assertThat(opening(new UnknownHostException("10.0.0.5"))).isEqualTo("unknown host 10.0.0.5");
        assertThat(opening(new SocketTimeoutException("connect timed out")))
                .isEqualTo("no answer from tcp:10.0.0.5:4001 within 3000 ms");
        assertThat(opening(new NoRouteToHostException("No route to host"))).isEqualTo("no route to 10.0.0.5");
        assertThat(opening(new ConnectException("Connection refused")))
                .isEqualTo("tcp:10.0.0.5:4001 refused the connection");
    }

    @Test
    void anyOtherFailureKeepsTheJdksWordsInLowerCase() {
        assertThat(opening(new ConnectException("Network is unreachable")))
                .isEqualTo("cannot connect to tcp:10.0.0.5:4001 (network is unreachable)");
        assertThat(opening(new ConnectException(null))).isEqualTo("cannot connect to tcp:10.0.0.5:4001"
                + " (ConnectException)");
    }

    @Test
    void aBrokenLinkIsNamedForReadingAndForWriting() {
        assertThat(TcpErrors.reading(SERVER, new SocketException("Connection reset")))
                .isEqualTo("connection to tcp:10.0.0.5:4001 broken (connection reset)");
        assertThat(TcpErrors.writing(SERVER, new SocketException("Broken pipe")))
                .isEqualTo("cannot write to tcp:10.0.0.5:4001 (broken pipe)");
        assertThat(TcpErrors.reading(SERVER, new IOException())).endsWith("(IOException)");
    }
}
