package io.benchlink.common.protocol;

/** A text frame that is not a valid agent frame; the message is safe to send back to the peer. */
public class FrameException extends Exception {
    public FrameException(String message) {
        super(message);
    }
}
