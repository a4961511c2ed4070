package io.benchlink.common.status;

/** A field of a status, frame or config holds a value the contract does not allow; the message names both. */
public class InvalidFieldException extends IllegalArgumentException {
    private final String field;

    public InvalidFieldException(String field, Object value, String rule) {
        super(field + " " + rule + " (got " + show(value) + ")");
        this.field = field;
    }

    public String field() {
        return field;
    }

    private static String show(Object value) {
        if (value == null) {
            return "null";
        }
        String text = String.valueOf(value);
        // Hostile input can be megabytes long; an error message only needs enough to recognise it.
        return '"' + (text.length() > 80 ? text.substring(0, 80) + "..." : text) + '"';
    }
}
