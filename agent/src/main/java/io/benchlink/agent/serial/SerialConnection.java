package io.benchlink.agent.serial;

import com.fazecast.jSerialComm.SerialPort;
import io.benchlink.agent.source.Connection;
import java.io.IOException;

/**
 * An open jSerialComm port read the way it works in 2.11.4: {@code readBytes} in
 * semi-blocking mode with our own framing, {@code -1} from a read (or from {@code bytesAvailable}) and a short
 * write mean the port is gone, and {@link #close()} releases the exclusive lock. Used by one reader thread.
 */
final class SerialConnection implements Connection {
    private final SerialPort port;
    private final String name;

    SerialConnection(SerialPort port, String name) {
        this.port = port;
        this.name = name;
    }

    @Override
    public int read(byte[] buffer) throws IOException {
        int n = port.readBytes(buffer, buffer.length);
        if (n < 0) {
            throw new IOException(PortErrors.reading(name, port.getLastErrorCode()));
        }
        // isOpen() stays true after a hang-up; bytesAvailable() is the cheap probe that notices it.
        if (n == 0 && port.bytesAvailable() < 0) {
            throw new IOException(PortErrors.hungUp(name));
        }
        return n;
    }

    @Override
    public void write(byte[] data) throws IOException {
        int written = port.writeBytes(data, data.length);
        if (written < data.length) {
            // on hang-up jSerialComm returns 0, not -1
            throw new IOException(PortErrors.writing(name, port.getLastErrorCode(), written, data.length));
        }
    }

    @Override
    public void close() {
        port.closePort();
    }
}
