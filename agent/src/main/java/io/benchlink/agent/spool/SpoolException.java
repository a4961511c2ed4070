package io.benchlink.agent.spool;

/** The spool cannot be opened or used (unwritable directory, locked by another agent, damaged database). */
public class SpoolException extends RuntimeException {
    public SpoolException(String message) {
        super(message);
    }

    public SpoolException(String message, Throwable cause) {
        super(message, cause);
    }
}
