package io.benchlink.agent.uplink;

import io.benchlink.common.status.DeviceId;
import io.benchlink.common.status.InvalidFieldException;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Issue 14.3: the gateway refuses this agent's statuses for {@code deviceId} because another agent owns it
 * (docs/PROTOCOL.md §3); {@code held} statuses of it wait in this agent's spool. {@code owner} is that agent's id as
 * the gateway's message names it, or null when the message names none we can trust.
 */
public record OwnershipConflict(String deviceId, String owner, int held) {
    private static final Pattern OWNED_BY = Pattern.compile("owned by (\\S+)");

    public OwnershipConflict {
        Objects.requireNonNull(deviceId, "deviceId");
        if (held < 0) {
            throw new IllegalArgumentException("held < 0");
        }
    }

    /** One line for the status board and the log, e.g. "bench-07 owned by another rig (rig-03): 12 statuses held". */
    public String describe() {
        return deviceId + " " + summary();
    }

    /** The same without the device id, for a line that already starts with it. */
    public String summary() {
        return "owned by another rig" + (owner == null ? "" : " (" + owner + ")") + ": " + held
                + (held == 1 ? " status held" : " statuses held");
    }

    /** Whether a refusal of one status is for its device's owner (and not, say, for an implausible seq). */
    static boolean isOwnership(String message) {
        return message != null && OWNED_BY.matcher(message).find();
    }

    /**
     * The owner named in a refusal such as "bench-07 is owned by rig-03". The text comes from the peer, so only a
     * valid agent_id is taken (no spaces, no control characters); anything else gives null.
     */
    static String ownerIn(String message) {
        if (message == null) {
            return null;
        }
        Matcher owned = OWNED_BY.matcher(message);
        if (!owned.find()) {
            return null;
        }
        String owner = owned.group(1).replaceAll("[.,;:]+$", "");
        if (owner.equals("another")) {
            return null; // "owned by another agent": the gateway did not know the owner's id
        }
        try {
            return DeviceId.requireAgentId(owner);
        } catch (InvalidFieldException e) {
            return null;
        }
    }
}
