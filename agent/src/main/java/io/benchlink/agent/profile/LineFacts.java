package io.benchlink.agent.profile;

import io.benchlink.common.status.StatusKind;

/**
 * What one line says about the test in progress; any field may be absent (false/null).
 *
 * @param result {@code SUCCESS}, {@code FAIL} or {@code ERROR} when the line ends a test
 */
public record LineFacts(boolean start, String mac, String serial, StatusKind result, String resultText) {
    public static final LineFacts NONE = new LineFacts(false, null, null, null, null);

    public boolean isEmpty() {
        return !start && mac == null && serial == null && result == null;
    }
}
