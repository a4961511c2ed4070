package io.benchlink.agent.source;

import java.io.Closeable;
import java.io.IOException;

/** An open link to one tester. Used by one reader thread only. */
public interface Connection extends Closeable {
    /**
     * Reads what has arrived, waiting at most a short poll interval (well under a second) so the reader can
     * check timeouts and stop requests. Returns the byte count, 0 when nothing arrived, or -1 when the link is gone.
     */
    int read(byte[] buffer) throws IOException;

    /** Writes all of {@code data} or throws: a short write means the link is gone. */
    void write(byte[] data) throws IOException;

    @Override
    void close();
}
