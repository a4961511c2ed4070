package io.benchlink.common.ops;

/**
 * Issue 14.6: makes text a peer chose (an agent_id, a device id, a token, an HTTP path, a frame) safe to put in a log
 * line. Every character that could end the line or steer a terminal is written visibly instead: {@code \r},
 * {@code \n}, {@code \t}, other C0 and C1 controls and DEL as {@code \xNN}, the Unicode line and paragraph
 * separators and the bidirectional overrides as {@code \\uNNNN}. So a log line stays one line whatever a peer sends,
 * and ANSI escapes print as text. Backslashes are left alone (Windows paths stay readable); a peer can write the
 * two characters {@code \n}, but they cannot start a new line.
 *
 * <p>Stateless and thread-safe. Text with nothing to escape is returned as is, without copying.
 */
public final class LogEscape {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private LogEscape() {
    }

    public static String escape(String text) {
        if (text == null) {
            return null;
        }
        int first = firstUnsafe(text);
        if (first < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 16).append(text, 0, first);
        for (int i = first; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!unsafe(c)) {
                out.append(c);
            } else if (c == '\n') {
                out.append("\\n");
            } else if (c == '\r') {
                out.append("\\r");
            } else if (c == '\t') {
                out.append("\\t");
            } else if (c < 0x100) {
                out.append("\\x").append(HEX[c >> 4]).append(HEX[c & 0xf]);
            } else {
                out.append("\\u").append(HEX[c >> 12]).append(HEX[(c >> 8) & 0xf]).append(HEX[(c >> 4) & 0xf])
                        .append(HEX[c & 0xf]);
            }
        }
        return out.toString();
    }

    private static int firstUnsafe(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (unsafe(text.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private static boolean unsafe(char c) {
        if (c < 0x20 || c == 0x7f) {
            return true; // C0 controls (CR, LF, ESC, ...) and DEL
        }
        if (c < 0x80) {
            return false;
        }
        return c <= 0x9f // C1 controls: NEL ends a line in some viewers, CSI starts a terminal sequence
                || c == 0x2028 || c == 0x2029 // line and paragraph separators
                || c >= 0x202a && c <= 0x202e || c >= 0x2066 && c <= 0x2069; // bidirectional overrides
    }
}
