package io.benchlink.gateway.http;

/**
 * Who may call an endpoint (PROTOCOL.md §4 "same tokens"): {@link #OPEN} to all, {@link #READ} with a subscriber
 * token and {@link #WRITE} with an agent token, each only when such tokens are configured.
 */
enum Access {
    OPEN, READ, WRITE
}
