package io.benchlink.common.status;

import java.util.Locale;

/** The five statuses of PROTOCOL.md §1; {@link #wireName()} is the lower-case form on the wire. */
public enum StatusKind {
    SUCCESS, FAIL, ERROR, ONLINE, OFFLINE;

    private final String wireName = name().toLowerCase(Locale.ROOT);

    public String wireName() {
        return wireName;
    }

    /** True for the outcome of a test ({@code success}, {@code fail}, {@code error}), false for link states. */
    public boolean isResult() {
        return this == SUCCESS || this == FAIL || this == ERROR;
    }

    /** Parses the exact wire name; anything else (including upper case) is refused, naming the value. */
    public static StatusKind fromWire(String value) {
        if (value != null) {
            for (StatusKind kind : values()) {
                if (kind.wireName.equals(value)) {
                    return kind;
                }
            }
        }
        throw new InvalidFieldException("status", value, "must be one of success, fail, error, online, offline");
    }
}
