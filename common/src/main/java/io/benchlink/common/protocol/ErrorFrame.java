package io.benchlink.common.protocol;

/**
 * gateway → agent: why the link is about to be closed (bad hello, bad token, bad frame), or, with {@code seq} and
 * {@code deviceId}, why one status was refused while the link stays open (PROTOCOL.md §3: a device owned by another
 * agent; an implausible seq). {@code seq} is 0 and {@code deviceId} null when the error is about the link.
 */
public record ErrorFrame(String message, long seq, String deviceId) implements AgentFrame {
    public ErrorFrame {
        if (seq < 0) {
            throw new IllegalArgumentException("seq < 0");
        }
    }

    public ErrorFrame(String message) {
        this(message, 0, null);
    }

    /** True when the error refuses one status and the link stays open. */
    public boolean aboutOneStatus() {
        return seq > 0;
    }
}
