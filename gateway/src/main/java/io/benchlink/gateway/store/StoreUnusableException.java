package io.benchlink.gateway.store;

/**
 * The store cannot be used at all (a damaged file, or not a database): unlike a failing commit this does not heal
 * by itself, so the gateway does not start (exit code 2, docs/OPERATIONS.md says how to recover).
 */
public class StoreUnusableException extends StoreException {
    public StoreUnusableException(String message, Throwable cause) {
        super(message, cause);
    }
}
