package io.benchlink.agent.source;

import java.io.IOException;

/**
 * Opens a fresh {@link Connection} to one tester each time it is asked, resolving its name or address again,
 * because after a re-plug or restart the same name may lead somewhere else. Used by one reader thread only.
 */
public interface Connector {
    /** Opens the link, or throws with a one-line reason ("no such port", "connection refused"). */
    Connection open() throws IOException;

    /** A short human description for logs and status text: {@code /dev/ttyUSB0}, {@code tcp:10.0.0.5:4001}. */
    String describe();

    /** The role in the reader thread's name: {@code serial}, {@code tcp} or {@code sim}. */
    String kind();
}
