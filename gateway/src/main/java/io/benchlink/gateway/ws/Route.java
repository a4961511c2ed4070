package io.benchlink.gateway.ws;

import io.benchlink.common.status.DeviceId;
import io.benchlink.gateway.protocol.QueryString;
import java.util.Map;
import java.util.Set;

/**
 * Where a WebSocket handshake asks to go (PROTOCOL.md §2, §3). Parsing never throws: an unknown path is
 * {@link Kind#UNKNOWN} (refused with 404 in the handshake), a known path with a bad device id or query is
 * {@link Kind#INVALID} with the reason (closed with 4400 right after the handshake).
 */
public record Route(Kind kind, String deviceId, boolean snapshot, long since, String token, String problem) {
    public enum Kind { AGENTS, DEVICES, INVALID, UNKNOWN }

    static final String AGENTS_PATH = "/ws/agents";
    static final String DEVICES_PREFIX = "/ws/devices/";
    private static final Set<String> SUBSCRIBER_PARAMS = Set.of("snapshot", "since", "token");
    private static final int MAX_DESCRIPTOR = 2048;

    /** True for {@code /ws/devices/all} (deviceId is null then). */
    public boolean allDevices() {
        return kind == Kind.DEVICES && deviceId == null;
    }

    public static Route parse(String descriptor) {
        if (descriptor == null || descriptor.length() > MAX_DESCRIPTOR) {
            return unknown();
        }
        int q = descriptor.indexOf('?');
        String path = q < 0 ? descriptor : descriptor.substring(0, q);
        String query = q < 0 ? "" : descriptor.substring(q + 1);
        if (path.equals(AGENTS_PATH)) {
            return new Route(Kind.AGENTS, null, false, 0, null, null);
        }
        if (!path.startsWith(DEVICES_PREFIX)) {
            return unknown();
        }
        String rawId = path.substring(DEVICES_PREFIX.length());
        String id = decode(rawId);
        if (id == null || !(DeviceId.ALL.equals(id) || DeviceId.isValid(id))) {
            return invalid("invalid device_id");
        }
        return parseQuery(DeviceId.ALL.equals(id) ? null : id, query);
    }

    private static Route parseQuery(String deviceId, String query) {
        Map<String, String> params;
        try {
            params = QueryString.parse(query, SUBSCRIBER_PARAMS);
        } catch (QueryString.Invalid e) {
            return invalid(e.getMessage());
        }
        String snapshot = params.getOrDefault("snapshot", "false");
        if (!snapshot.equals("true") && !snapshot.equals("false")) {
            return invalid("snapshot must be true or false");
        }
        long since = -1;
        if (params.containsKey("since")) {
            since = QueryString.nonNegative(params.get("since"));
            if (since < 0) {
                return invalid("since must be a non-negative integer");
            }
        }
        return new Route(Kind.DEVICES, deviceId, snapshot.equals("true"), since, params.get("token"), null);
    }

    private static String decode(String text) {
        try {
            return QueryString.decode(text);
        } catch (QueryString.Invalid e) {
            return null;
        }
    }

    private static Route unknown() {
        return new Route(Kind.UNKNOWN, null, false, -1, null, "unknown path");
    }

    private static Route invalid(String problem) {
        return new Route(Kind.INVALID, null, false, -1, null, problem);
    }

    /** Tokens never appear in logs. */
    @Override
    public String toString() {
        return "Route[" + kind + (deviceId == null ? "" : " " + deviceId) + (snapshot ? " snapshot" : "")
                + (since >= 0 ? " since=" + since : "") + (problem == null ? "" : " " + problem) + "]";
    }
}
