package io.benchlink.agent.profile;

import java.nio.charset.Charset;

/**
 * Cuts a tester's raw byte stream into text lines, with a bounded buffer: a line longer than the limit is cut
 * at the limit, handed on once flagged as truncated, and the rest of it up to the next line end is dropped, so
 * a megabyte of garbage without a newline costs at most {@code maxBytes} of memory. NUL bytes are dropped,
 * empty lines are skipped, and bytes that are not valid in the charset become U+FFFD rather than an error.
 *
 * <p>Owned by: the device's reader thread (not thread-safe).
 */
public final class LineFramer {
    /** Receives each complete line. */
    public interface LineSink {
        void line(String text, boolean truncated) throws InterruptedException;
    }

    private final LineEnding ending;
    private final Charset charset;
    private final byte[] buffer;
    private int length;
    private boolean discarding;
    private long truncatedLines;

    public LineFramer(LineEnding ending, Charset charset, int maxBytes) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be positive");
        }
        this.ending = ending;
        this.charset = charset;
        this.buffer = new byte[maxBytes];
    }

    /** Feeds {@code count} bytes; every line they complete goes to {@code sink} before this returns. */
    public void feed(byte[] data, int offset, int count, LineSink sink) throws InterruptedException {
        int end = offset + count;
        for (int i = offset; i < end; i++) {
            byte b = data[i];
            if (ending.terminates(b)) {
                endLine(sink);
            } else if (!ending.ignores(b)) {
                append(b, sink);
            }
        }
    }

    /** Forgets a partial line, e.g. when the connection was lost in the middle of it. */
    public void reset() {
        length = 0;
        discarding = false;
    }

    /** How many lines were cut at the limit so far. */
    public long truncatedLines() {
        return truncatedLines;
    }

    private void append(byte b, LineSink sink) throws InterruptedException {
        if (discarding) {
            return;
        }
        if (length == buffer.length) {
            // Hand on what fits, once, and drop the rest of this line: bounded memory, one report per long line.
            truncatedLines++;
            discarding = true;
            emit(sink, true);
            return;
        }
        buffer[length++] = b;
    }

    private void endLine(LineSink sink) throws InterruptedException {
        if (discarding) {
            discarding = false;
            return;
        }
        if (length > 0) {
            emit(sink, false);
        }
    }

    private void emit(LineSink sink, boolean truncated) throws InterruptedException {
        // String(byte[], Charset) replaces malformed input with U+FFFD; it never throws.
        String text = new String(buffer, 0, length, charset);
        length = 0;
        sink.line(text, truncated);
    }
}
