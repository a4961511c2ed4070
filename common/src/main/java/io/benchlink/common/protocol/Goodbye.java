package io.benchlink.common.protocol;

import io.benchlink.common.status.InvalidFieldException;

/**
 * agent → gateway, last frame of a link the agent closes on purpose (a planned stop, not a lost link): the gateway
 * takes the agent's devices offline at once instead of after its grace period (docs/PROTOCOL.md §3). {@code reason}
 * is optional free text for the gateway's log only; it never becomes a stored result.
 */
public record Goodbye(String reason) implements AgentFrame {
    public static final int MAX_REASON_CHARS = 200;

    public Goodbye {
        if (reason != null && reason.length() > MAX_REASON_CHARS) {
            throw new InvalidFieldException("reason", reason, "must be at most " + MAX_REASON_CHARS + " characters");
        }
    }
}
