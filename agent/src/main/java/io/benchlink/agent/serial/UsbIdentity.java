package io.benchlink.agent.serial;

import io.benchlink.common.status.InvalidFieldException;
import java.util.Locale;

/**
 * A USB serial adapter by what it is rather than where it is plugged: vendor id, product id and (optionally) its
 * serial number, so it is found again after being re-plugged into another socket.
 *
 * @param serialNumber null matches any adapter with this vendor/product id
 */
public record UsbIdentity(int vendorId, int productId, String serialNumber) {
    public UsbIdentity {
        if (vendorId < 0 || vendorId > 0xFFFF) {
            throw new InvalidFieldException("vid", vendorId, "must be a 4-digit hex id");
        }
        if (productId < 0 || productId > 0xFFFF) {
            throw new InvalidFieldException("pid", productId, "must be a 4-digit hex id");
        }
        serialNumber = serialNumber == null || serialNumber.isBlank() ? null : serialNumber.trim();
    }

    /** Parses {@code VID:PID[:SERIAL]} in hex, e.g. {@code 0403:6001:A50285BI}. */
    public static UsbIdentity parse(String text) {
        String[] parts = text == null ? new String[0] : text.split(":", 3);
        if (parts.length < 2) {
            throw new InvalidFieldException("usb", text, "must be VID:PID[:SERIAL] in hex, e.g. 0403:6001:A50285BI");
        }
        return new UsbIdentity(hex("vid", parts[0]), hex("pid", parts[1]), parts.length == 3 ? parts[2] : null);
    }

    static int hex(String field, String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        t = t.startsWith("0x") ? t.substring(2) : t;
        if (!t.matches("[0-9a-f]{1,4}")) {
            throw new InvalidFieldException(field, text, "must be a 4-digit hex id");
        }
        return Integer.parseInt(t, 16);
    }

    public boolean matches(int vid, int pid, String serial) {
        return vid == vendorId && pid == productId && (serialNumber == null || serialNumber.equals(serial));
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "usb:%04x:%04x%s", vendorId, productId,
                serialNumber == null ? "" : ":" + serialNumber);
    }
}
