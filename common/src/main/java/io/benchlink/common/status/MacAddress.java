package io.benchlink.common.status;

import java.util.Locale;

/**
 * MAC normalisation of PROTOCOL.md §1: every common spelling ({@code aa-bb-cc-dd-ee-ff}, {@code aabb.ccdd.eeff},
 * {@code AABBCCDDEEFF}, {@code aa:bb:..}) becomes {@code AA:BB:CC:DD:EE:FF}; absent becomes {@code "unknown"}.
 */
public final class MacAddress {
    public static final String UNKNOWN = "unknown";

    private MacAddress() {
    }

    public static String normalize(String raw) {
        if (raw == null || raw.isBlank() || raw.trim().equalsIgnoreCase(UNKNOWN)) {
            return UNKNOWN;
        }
        String hex = stripSeparators(raw.trim());
        if (hex == null || hex.length() != 12) {
            throw new InvalidFieldException("mac_address", raw, "must be 12 hex digits, e.g. AA:BB:CC:DD:EE:FF");
        }
        StringBuilder out = new StringBuilder(17);
        for (int i = 0; i < 12; i += 2) {
            if (i > 0) {
                out.append(':');
            }
            out.append(hex, i, i + 2);
        }
        return out.toString().toUpperCase(Locale.ROOT);
    }

    /** Returns the hex digits if the separators are used consistently in one known layout, else null. */
    private static String stripSeparators(String text) {
        if (text.length() == 12) {
            return allHex(text) ? text : null;
        }
        if (text.length() == 17) {
            char sep = text.charAt(2);
            if (sep != ':' && sep != '-') {
                return null;
            }
            for (int i = 2; i < 17; i += 3) {
                if (text.charAt(i) != sep) {
                    return null;
                }
            }
            String hex = text.replace(String.valueOf(sep), "");
            return allHex(hex) ? hex : null;
        }
        if (text.length() == 14 && text.charAt(4) == '.' && text.charAt(9) == '.') {
            String hex = text.replace(".", "");
            return allHex(hex) ? hex : null;
        }
        return null;
    }

    private static boolean allHex(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.digit(text.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }
}
