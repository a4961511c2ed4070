package io.benchlink.gateway.protocol;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The query-string rules shared by the WebSocket handshake (PROTOCOL.md §2) and the HTTP API (§4): percent-decoded
 * UTF-8, known names only, each at most once; integers of at most 18 digits, so they always fit a long. One parser
 * so the two endpoints cannot drift apart (issue 17.5). Stateless.
 */
public final class QueryString {
    /** The longest integer parameter accepted: 18 digits are always below {@link Long#MAX_VALUE}. */
    public static final int MAX_DIGITS = 18;

    private QueryString() {
    }

    /** A query that breaks the rules; the message is the one-line reason for the client. */
    public static final class Invalid extends RuntimeException {
        Invalid(String reason) {
            super(reason, null, false, false);
        }
    }

    /** The parameters of {@code raw} (null or empty: none), in order; throws {@link Invalid} on a broken rule. */
    public static Map<String, String> parse(String raw, Set<String> allowed) {
        Map<String, String> params = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return params;
        }
        for (String pair : raw.split("&", -1)) {
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = decode(eq < 0 ? "" : pair.substring(eq + 1));
            if (!allowed.contains(name)) {
                throw new Invalid("unknown query parameter " + name);
            }
            if (params.put(name, value) != null) {
                throw new Invalid("repeated query parameter " + name);
            }
        }
        return params;
    }

    /** {@code text} as a non-negative integer of at most {@link #MAX_DIGITS} digits, or -1. */
    public static long nonNegative(String text) {
        if (text == null || text.isEmpty() || text.length() > MAX_DIGITS
                || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        return Long.parseLong(text);
    }

    /** Percent-decodes one name or value; throws {@link Invalid} on a broken escape. */
    public static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new Invalid("malformed query");
        }
    }
}
