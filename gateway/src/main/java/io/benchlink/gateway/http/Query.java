package io.benchlink.gateway.http;

import io.benchlink.common.text.OneLine;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** Query-string parsing with the WebSocket side's rules: known names only, each at most once. Stateless. */
final class Query {
    static final String TOKEN = "token";

    private Query() {
    }

    static Map<String, String> parse(String raw, Set<String> allowed) {
        Map<String, String> params = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return params;
        }
        for (String pair : raw.split("&", -1)) {
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = decode(eq < 0 ? "" : pair.substring(eq + 1));
            if (!allowed.contains(name) && !TOKEN.equals(name)) {
                throw HttpError.badRequest("unknown query parameter " + name);
            }
            if (params.put(name, value) != null) {
                throw HttpError.badRequest("repeated query parameter " + name);
            }
        }
        return params;
    }

    /** Only to find the token before the endpoint's own parsing: skips what it cannot decode, never throws. */
    static Map<String, String> parseLoose(String raw) {
        Map<String, String> params = new HashMap<>();
        if (raw == null) {
            return params;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            try {
                if (eq > 0) {
                    params.putIfAbsent(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
                }
            } catch (HttpError e) {
                // reported by the endpoint's strict parse, once the caller is known to be allowed in
            }
        }
        return params;
    }

    /** A non-negative integer parameter, or {@code fallback} when absent. */
    static long nonNegative(Map<String, String> params, String name, long fallback) {
        String text = params.get(name);
        if (text == null) {
            return fallback;
        }
        if (text.isEmpty() || text.length() > 18 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw HttpError.badRequest(name + " must be a non-negative integer (got \"" + OneLine.of(text, 40) + "\")");
        }
        return Long.parseLong(text);
    }

    static int inRange(Map<String, String> params, String name, int fallback, int min, int max) {
        long value = nonNegative(params, name, fallback);
        if (value < min || value > max) {
            throw HttpError.badRequest(name + " must be " + min + ".." + max + " (got " + value + ")");
        }
        return (int) value;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw HttpError.badRequest("malformed query");
        }
    }
}
