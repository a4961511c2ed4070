package io.benchlink.gateway.http;

import io.benchlink.common.text.OneLine;
import io.benchlink.gateway.protocol.QueryString;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** The HTTP side of {@link QueryString} (the WebSocket side's rules): a broken rule is a 400. Stateless. */
final class Query {
    static final String TOKEN = "token";

    private Query() {
    }

    static Map<String, String> parse(String raw, Set<String> allowed) {
        Set<String> withToken = new HashSet<>(allowed);
        withToken.add(TOKEN);
        try {
            return QueryString.parse(raw, withToken);
        } catch (QueryString.Invalid e) {
            throw HttpError.badRequest(e.getMessage());
        }
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
        long value = QueryString.nonNegative(text);
        if (value < 0) {
            throw HttpError.badRequest(name + " must be a non-negative integer (got \"" + OneLine.of(text, 40) + "\")");
        }
        return value;
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
            return QueryString.decode(text);
        } catch (QueryString.Invalid e) {
            throw HttpError.badRequest(e.getMessage());
        }
    }
}
