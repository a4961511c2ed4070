package io.benchlink.agent.tcp;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;

/**
 * The JDK's socket exceptions in words for the offline reason an operator and 1C read: {@code "tcp:10.0.0.5:4001
 * refused the connection"} rather than {@code "Connection refused"}. Stateless.
 */
final class TcpErrors {
    private TcpErrors() {
    }

    static String opening(String server, String host, Duration timeout, IOException e) {
        if (e instanceof UnknownHostException) {
            return "unknown host " + host;
        }
        if (e instanceof SocketTimeoutException) {
            return "no answer from " + server + " within " + timeout.toMillis() + " ms";
        }
        if (e instanceof NoRouteToHostException) {
            return "no route to " + host;
        }
        if (e instanceof ConnectException && String.valueOf(e.getMessage()).startsWith("Connection refused")) {
            return server + " refused the connection";
        }
        return "cannot connect to " + server + " (" + detail(e) + ")";
    }

    static String reading(String server, IOException e) {
        return "connection to " + server + " broken (" + detail(e) + ")";
    }

    static String writing(String server, IOException e) {
        return "cannot write to " + server + " (" + detail(e) + ")";
    }

    private static String detail(IOException e) {
        String message = e.getMessage();
        return message == null ? e.getClass().getSimpleName() : message.toLowerCase(Locale.ROOT);
    }
}
