package io.benchlink.common.status;

import java.util.regex.Pattern;

/**
 * Identifier rules of PROTOCOL.md §1: 1 to 64 of {@code A-Z a-z 0-9 . _ -}, case-sensitive, {@code all} reserved, and
 * not made of dots only ({@code .} and {@code ..} do not survive a URL path: clients and proxies resolve them away).
 */
public final class DeviceId {
    public static final String ALL = "all";
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern DOTS_ONLY = Pattern.compile("\\.+");
    private static final String CHARACTERS = "must be 1-64 characters of A-Z a-z 0-9 . _ -, not dots only";

    private DeviceId() {
    }

    public static boolean isValid(String id) {
        return hasValidCharacters(id) && !ALL.equals(id);
    }

    /** Returns {@code id} unchanged or throws naming {@code field}. */
    public static String require(String field, String id) {
        if (!hasValidCharacters(id)) {
            throw new InvalidFieldException(field, id, CHARACTERS);
        }
        if (ALL.equals(id)) {
            throw new InvalidFieldException(field, id, "must not be the reserved word \"all\"");
        }
        return id;
    }

    /** Agent ids follow the same character rules; {@code all} is not reserved for them. */
    public static String requireAgentId(String id) {
        if (!hasValidCharacters(id)) {
            throw new InvalidFieldException("agent_id", id, CHARACTERS);
        }
        return id;
    }

    private static boolean hasValidCharacters(String id) {
        return id != null && ID.matcher(id).matches() && !DOTS_ONLY.matcher(id).matches();
    }
}
