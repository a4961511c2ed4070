package io.benchlink.agent.serial;

import com.fazecast.jSerialComm.SerialPort;
import io.benchlink.common.status.InvalidFieldException;
import java.util.Locale;

/**
 * Line settings of a serial port, validated once at start-up. Parity, stop bits and flow control are kept in
 * the config spelling ({@code none|odd|even|mark|space}, {@code 1|1.5|2}, {@code none|rtscts|xonxoff}) and
 * mapped to jSerialComm's constants here only.
 */
public record SerialSettings(int baud, int dataBits, String parity, String stopBits, String flowControl) {
    public static final SerialSettings DEFAULT = new SerialSettings(9600, 8, "none", "1", "none");

    public SerialSettings {
        if (baud < 50 || baud > 4_000_000) {
            throw new InvalidFieldException("baud", baud, "must be 50..4000000");
        }
        if (dataBits < 5 || dataBits > 8) {
            throw new InvalidFieldException("data_bits", dataBits, "must be 5..8");
        }
        parity = lower(parity, "none");
        stopBits = lower(stopBits, "1");
        flowControl = lower(flowControl, "none");
        parityCode(parity);
        stopBitsCode(stopBits);
        flowControlCode(flowControl);
    }

    int parityCode() {
        return parityCode(parity);
    }

    int stopBitsCode() {
        return stopBitsCode(stopBits);
    }

    int flowControlCode() {
        return flowControlCode(flowControl);
    }

    private static String lower(String value, String fallback) {
        return value == null ? fallback : value.trim().toLowerCase(Locale.ROOT);
    }

    private static int parityCode(String parity) {
        switch (parity) {
            case "none": return SerialPort.NO_PARITY;
            case "odd": return SerialPort.ODD_PARITY;
            case "even": return SerialPort.EVEN_PARITY;
            case "mark": return SerialPort.MARK_PARITY;
            case "space": return SerialPort.SPACE_PARITY;
            default: throw new InvalidFieldException("parity", parity, "must be none, odd, even, mark or space");
        }
    }

    private static int stopBitsCode(String stopBits) {
        switch (stopBits) {
            case "1": return SerialPort.ONE_STOP_BIT;
            case "1.5": return SerialPort.ONE_POINT_FIVE_STOP_BITS;
            case "2": return SerialPort.TWO_STOP_BITS;
            default: throw new InvalidFieldException("stop_bits", stopBits, "must be 1, 1.5 or 2");
        }
    }

    private static int flowControlCode(String flow) {
        switch (flow) {
            case "none": return SerialPort.FLOW_CONTROL_DISABLED;
            case "rtscts": return SerialPort.FLOW_CONTROL_RTS_ENABLED | SerialPort.FLOW_CONTROL_CTS_ENABLED;
            case "xonxoff":
                return SerialPort.FLOW_CONTROL_XONXOFF_IN_ENABLED | SerialPort.FLOW_CONTROL_XONXOFF_OUT_ENABLED;
            default: throw new InvalidFieldException("flow_control", flow, "must be none, rtscts or xonxoff");
        }
    }
}
