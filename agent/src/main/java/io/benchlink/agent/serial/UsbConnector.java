package io.benchlink.agent.serial;

import com.fazecast.jSerialComm.SerialPort;
import io.benchlink.agent.source.Connection;
import io.benchlink.agent.source.Connector;
import java.io.IOException;
import java.time.Duration;

/**
 * A USB serial adapter found by {@link UsbIdentity}. The port list is enumerated only while the adapter is
 * missing (each {@link #open()} follows a loss) and at most once per {@code scanInterval}, because long-running
 * fast enumeration crashes the JVM in jSerialComm; between scans {@code open()} fails fast without enumerating.
 *
 * <p>Owned by: the device's reader thread.
 */
public final class UsbConnector implements Connector {
    public static final Duration DEFAULT_SCAN_INTERVAL = Duration.ofSeconds(2);

    private final UsbIdentity identity;
    private final SerialSettings settings;
    private final long scanIntervalNanos;
    private long lastScanNanos;
    private boolean scanned;

    public UsbConnector(UsbIdentity identity, SerialSettings settings, Duration scanInterval) {
        this.identity = identity;
        this.settings = settings;
        this.scanIntervalNanos = scanInterval.toNanos();
    }

    @Override
    public Connection open() throws IOException {
        long now = System.nanoTime();
        if (scanned && now - lastScanNanos < scanIntervalNanos) {
            throw new IOException(identity + " not found (next scan in "
                    + (scanIntervalNanos - (now - lastScanNanos)) / 1_000_000 + " ms)");
        }
        scanned = true;
        lastScanNanos = now;
        for (SerialPort port : SerialPort.getCommPorts()) {
            if (identity.matches(port.getVendorID(), port.getProductID(), port.getSerialNumber())) {
                return SerialConnector.openPort(port, settings, port.getSystemPortPath());
            }
        }
        throw new IOException(identity + " not found");
    }

    @Override
    public String describe() {
        return identity.toString();
    }

    @Override
    public String kind() {
        return "serial";
    }
}
