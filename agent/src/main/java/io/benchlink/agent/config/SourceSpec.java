package io.benchlink.agent.config;

import io.benchlink.agent.serial.UsbIdentity;
import io.benchlink.agent.simulate.SimulationSettings;
import io.benchlink.common.status.InvalidFieldException;

/** Where a device's tester is read from (PROTOCOL.md §6). Immutable. */
public sealed interface SourceSpec {
    /** A serial port by name: {@code /dev/ttyUSB0}, {@code /dev/serial/by-id/...}, {@code COM7}. */
    record SerialName(String name) implements SourceSpec {
    }

    /** A USB serial adapter by identity, found again wherever it is plugged in. */
    record Usb(UsbIdentity identity) implements SourceSpec {
    }

    /** A raw TCP serial server. */
    record Tcp(String host, int port) implements SourceSpec {
        public Tcp {
            if (host == null || host.isBlank()) {
                throw new InvalidFieldException("port", "tcp:" + host + ":" + port, "must be tcp:HOST:PORT");
            }
            if (port < 1 || port > 65535) {
                throw new InvalidFieldException("port", port, "TCP port must be 1..65535");
            }
        }
    }

    /** An in-process simulated tester. */
    record Simulated(SimulationSettings settings) implements SourceSpec {
    }

    /**
     * Reads the {@code port} spelling: {@code tcp:HOST:PORT} (IPv6 as {@code tcp:[::1]:4001}), {@code
     * usb:VID:PID[:SERIAL]},
     * {@code sim}, or else a serial port name.
     */
    static SourceSpec parse(String text, SimulationSettings simulation) {
        if (text == null || text.isBlank()) {
            throw new InvalidFieldException("port", text, "must not be empty");
        }
        if (text.startsWith("tcp:")) {
            String rest = text.substring(4);
            int colon = rest.lastIndexOf(':');
            if (colon <= 0) {
                throw new InvalidFieldException("port", text, "must be tcp:HOST:PORT");
            }
            String host = rest.substring(0, colon).replace("[", "").replace("]", "");
            return new Tcp(host, tcpPort(text, rest.substring(colon + 1)));
        }
        if (text.startsWith("usb:")) {
            return new Usb(UsbIdentity.parse(text.substring(4)));
        }
        if (text.equals("sim")) {
            return new Simulated(simulation);
        }
        return new SerialName(text);
    }

    private static int tcpPort(String text, String digits) {
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            throw new InvalidFieldException("port", text, "must be tcp:HOST:PORT with a numeric port");
        }
    }
}
