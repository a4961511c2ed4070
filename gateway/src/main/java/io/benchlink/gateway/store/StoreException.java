package io.benchlink.gateway.store;

/** The embedded store failed (disk full, file unreadable, locked); nothing of the failed batch was acknowledged. */
public class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
