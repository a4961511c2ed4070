package io.benchlink.agent.source;

import java.io.IOException;

/**
 * The {@code result} text of a tester's {@code online}/{@code offline} status, in words an operator and 1C can act
 * on: {@code "tester disconnected (I/O error reading /dev/ttyUSB0)"}. The reason in parentheses comes from the
 * connector ({@code agent.serial}, {@code agent.tcp}), which knows the port and what its error codes mean.
 * Stateless.
 */
public final class LinkWords {
    private LinkWords() {
    }

    public static String connected(String port) {
        return "tester connected (" + port + ")";
    }

    /** The link was open and went away. */
    public static String disconnected(String reason) {
        return "tester disconnected (" + reason + ")";
    }

    /** The link could not be opened. */
    public static String unreachable(Exception e) {
        String reason = e instanceof IOException && e.getMessage() != null ? e.getMessage() : e.toString();
        return "tester not reachable (" + reason + ")";
    }
}
