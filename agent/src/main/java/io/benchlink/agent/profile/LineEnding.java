package io.benchlink.agent.profile;

import java.nio.charset.StandardCharsets;

/**
 * How a tester ends its lines. {@link #AUTO} (the default) treats CR, LF and CRLF alike, so a tester that
 * switches endings, or sends CR only, still yields one line per line. The explicit modes end lines only on
 * their own byte and drop the other one, for testers that put a bare CR or LF inside a line.
 */
public enum LineEnding {
    AUTO("\r\n"), LF("\n"), CRLF("\r\n"), CR("\r");

    private final String sendSuffix;

    LineEnding(String sendSuffix) {
        this.sendSuffix = sendSuffix;
    }

    /** What is appended to a command sent to the tester. */
    public byte[] suffixBytes() {
        return sendSuffix.getBytes(StandardCharsets.US_ASCII);
    }

    boolean terminates(byte b) {
        switch (this) {
            case AUTO:
                return b == '\n' || b == '\r';
            case CR:
                return b == '\r';
            default:
                return b == '\n';
        }
    }

    /** Bytes dropped wherever they appear: NUL padding always, and the line-end byte this mode does not use. */
    boolean ignores(byte b) {
        switch (this) {
            case LF:
            case CRLF:
                return b == 0 || b == '\r';
            case CR:
                return b == 0 || b == '\n';
            default:
                return b == 0;
        }
    }

    /**
     * Reads the profile spelling: {@code auto}, {@code \n}, {@code \r\n}, {@code \r} or {@code lf}/{@code
     * crlf}/{@code cr}.
     */
    public static LineEnding parse(String text) {
        if (text == null) {
            return null;
        }
        switch (text.toLowerCase(java.util.Locale.ROOT)) {
            case "auto":
                return AUTO;
            case "\n":
            case "lf":
            case "\\n":
                return LF;
            case "\r\n":
            case "crlf":
            case "\\r\\n":
                return CRLF;
            case "\r":
            case "cr":
            case "\\r":
                return CR;
            default:
                return null;
        }
    }
}
