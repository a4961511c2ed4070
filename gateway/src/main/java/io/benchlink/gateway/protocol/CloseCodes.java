package io.benchlink.gateway.protocol;

/**
 * The close codes of PROTOCOL.md §2, in one place. Kept below the endpoints that use them ({@code agents},
 * {@code subscribe}) and the listener that routes to them ({@code ws}), so the package arrows point one way.
 */
public final class CloseCodes {
    public static final int NORMAL = 1000;
    public static final int GOING_AWAY = 1001;
    public static final int POLICY = 1008;
    public static final int SERVER_ERROR = 1011;
    public static final int TRY_AGAIN_LATER = 1013;
    public static final int INVALID_REQUEST = 4400;
    public static final int UNAUTHORIZED = 4401;

    private CloseCodes() {
    }

    /** A close reason fits in 123 bytes of UTF-8 (RFC 6455 §5.5); cut longer ones on a character boundary. */
    public static String reason(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        int bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            int size = c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
            if (bytes + size > 120 || Character.isSurrogate(c)) {
                break;
            }
            bytes += size;
            out.append(c);
        }
        return out.toString();
    }
}
