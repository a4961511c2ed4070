package io.benchlink.common.protocol;

import io.benchlink.common.status.InvalidFieldException;
import java.util.List;

/**
 * gateway → agent: the highest agent seq already stored for this agent_id (0 if none), and the optional frames this
 * gateway understands ({@code features}, docs/PROTOCOL.md §3). An agent sends an optional frame only to a gateway
 * that lists it, so a gateway that predates the frame never sees it; names it does not know are ignored.
 */
public record Welcome(long lastSeq, List<String> features) implements AgentFrame {
    /** The feature a gateway lists when it understands the {@link Goodbye} frame. */
    public static final String GOODBYE = "goodbye";
    public static final int MAX_FEATURES = 64;

    public Welcome {
        features = features == null ? List.of() : List.copyOf(features);
        if (features.size() > MAX_FEATURES) {
            throw new InvalidFieldException("features", features.size(), "must list at most " + MAX_FEATURES);
        }
    }

    /** A welcome from a gateway without optional frames. */
    public Welcome(long lastSeq) {
        this(lastSeq, List.of());
    }

    public boolean offers(String feature) {
        return features.contains(feature);
    }
}
