package io.benchlink.gateway.store;

import io.benchlink.common.status.StatusKind;

/**
 * An event as stored: its gateway-wide {@code seq}, the device it belongs to, and the exact 1C-facing JSON text,
 * encoded once when stored and sent as is to every subscriber and HTTP client.
 */
public record StoredEvent(long seq, String deviceId, StatusKind status, String json) {
}
