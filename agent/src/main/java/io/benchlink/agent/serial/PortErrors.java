package io.benchlink.agent.serial;

import java.util.Locale;
import java.util.Map;

/**
 * Turns jSerialComm's last error code into words for the offline reason an operator and 1C read
 * ({@code "I/O error reading /dev/ttyUSB0"} rather than {@code "read failed, error 5"}). The code is the
 * operating system's: errno on Linux and macOS, {@code GetLastError} on Windows, so the table depends on the
 * platform; an unknown code is kept as a number. Stateless.
 */
final class PortErrors {
    private static final int EIO = 5;
    private static final Map<Integer, String> POSIX = Map.of(
            2, "not found or already open",
            5, "I/O error",
            6, "device not configured",
            11, "in use by another program",
            13, "permission denied (is the user in the dialout group?)",
            16, "in use by another program",
            19, "no such device");
    private static final Map<Integer, String> WINDOWS = Map.of(
            2, "no such port",
            5, "access denied or in use by another program",
            31, "device not functioning",
            995, "I/O aborted",
            1167, "device not connected");
    private static final boolean IS_WINDOWS = System.getProperty("os.name", "").toLowerCase(Locale.ROOT)
            .startsWith("windows");

    private PortErrors() {
    }

    /** {@code "I/O error reading /dev/ttyUSB0"}, or {@code "cannot read COM3 (device not connected)"}. */
    static String reading(String port, int code) {
        return code == EIO && !IS_WINDOWS ? "I/O error reading " + port : "cannot read " + port + " (" + words(code)
                + ")";
    }

    /** A write that stopped short; on a hang-up jSerialComm writes 0 bytes. */
    static String writing(String port, int code, int written, int length) {
        return "cannot write to " + port + " (" + words(code) + "; " + written + " of " + length + " bytes sent)";
    }

    static String hungUp(String port) {
        return port + " hung up";
    }

    static String opening(String port, int code) {
        return "cannot open " + port + " (" + words(code) + ")";
    }

    static String words(int code) {
        String known = (IS_WINDOWS ? WINDOWS : POSIX).get(code);
        return known != null ? known : code == 0 ? "no reason given" : "error " + code;
    }
}
