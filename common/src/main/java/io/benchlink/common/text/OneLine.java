package io.benchlink.common.text;

/**
 * Text from outside (a peer's message, a request parameter, a file) made safe to put into one log line or one error
 * message: every run of whitespace, CR and LF included, becomes one space, so the text cannot start a forged log
 * line, and a long text is cut with "...". One helper instead of a copy per class (issue 17.5).
 */
public final class OneLine {
    private OneLine() {
    }

    /** {@code text} on one line and at most {@code max} characters (plus "..."); "" for null. */
    public static String of(String text, int max) {
        if (text == null) {
            return "";
        }
        String line = text.replaceAll("\\s+", " ").strip();
        if (line.length() <= max) {
            return line;
        }
        int end = Character.isHighSurrogate(line.charAt(max - 1)) ? max - 1 : max;
        return line.substring(0, end) + "...";
    }
}
