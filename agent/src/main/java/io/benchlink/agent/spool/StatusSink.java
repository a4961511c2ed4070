package io.benchlink.agent.spool;

import io.benchlink.common.status.DeviceStatus;

/**
 * Where a device's reader hands each status it produced. {@link #accept} returns only once the status is durably
 * taken (so a crash after it loses nothing) and blocks while the spool is full, which stops reading from testers
 * rather than losing an accepted status.
 */
public interface StatusSink {
    void accept(DeviceStatus status) throws InterruptedException;
}
