package io.benchlink.agent.serial;

import com.fazecast.jSerialComm.SerialPort;
import com.fazecast.jSerialComm.SerialPortInvalidPortException;
import io.benchlink.agent.source.Connection;
import io.benchlink.agent.source.Connector;
import java.io.IOException;

/**
 * A serial port by name ({@code /dev/ttyUSB0}, {@code /dev/serial/by-id/...}, {@code COM7}). Every {@link #open()}
 * calls {@code getCommPort} again, because jSerialComm resolves a symlink once, when it creates the port object,
 * and after a re-plug the link may point to another device node. Stateless apart from its settings.
 */
public final class SerialConnector implements Connector {
    /** How long one {@code readBytes} waits for data: bounds the reader's reaction time to stop and timeouts. */
    static final int READ_TIMEOUT_MS = 500;
    static final int WRITE_TIMEOUT_MS = 1000;

    private final String portName;
    private final SerialSettings settings;

    public SerialConnector(String portName, SerialSettings settings) {
        this.portName = portName;
        this.settings = settings;
    }

    @Override
    public Connection open() throws IOException {
        SerialPort port;
        try {
            port = SerialPort.getCommPort(portName);
        } catch (SerialPortInvalidPortException e) {
            throw new IOException("no such port " + portName);
        }
        return openPort(port, settings, portName);
    }

    static Connection openPort(SerialPort port, SerialSettings settings, String name) throws IOException {
        port.setComPortParameters(settings.baud(), settings.dataBits(), settings.stopBitsCode(), settings.parityCode());
        port.setFlowControl(settings.flowControlCode());
        port.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING | SerialPort.TIMEOUT_WRITE_BLOCKING,
                READ_TIMEOUT_MS, WRITE_TIMEOUT_MS);
        if (!port.openPort()) {
            throw new IOException(PortErrors.opening(name, port.getLastErrorCode()));
        }
        return new SerialConnection(port, name);
    }

    @Override
    public String describe() {
        return portName;
    }

    @Override
    public String kind() {
        return "serial";
    }
}
