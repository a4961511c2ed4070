package io.benchlink.gateway.config;

import io.benchlink.common.status.DeviceId;

/**
 * The syntax of one agent token entry: {@code TOKEN} (any agent_id may use it) or {@code AGENT_ID:TOKEN} (only that
 * agent_id). The entry is split at its first colon, so a token bound to an agent may itself contain colons, while an
 * unbound token must not contain one. Errors never quote the token.
 */
public final class AgentTokenSyntax {
    private AgentTokenSyntax() {
    }

    /** The agent_id an entry is bound to, or null for an unbound token. */
    public static String agentId(String entry) {
        int colon = entry.indexOf(':');
        return colon < 0 ? null : entry.substring(0, colon);
    }

    /** The token part of an entry. */
    public static String token(String entry) {
        int colon = entry.indexOf(':');
        return colon < 0 ? entry : entry.substring(colon + 1);
    }

    /** Throws a {@link ConfigException} that names the problem, never the token, if the entry is malformed. */
    public static void check(String entry) {
        String agentId = agentId(entry);
        if (agentId != null && !DeviceId.isValid(agentId)) {
            throw new ConfigException("--agent-token: the part before ':' must be an agent_id (1-64 of A-Z a-z 0-9 . _ -)"
                    + " in AGENT_ID:TOKEN");
        }
        if (token(entry).isBlank()) {
            throw new ConfigException("--agent-token: the token must not be empty");
        }
    }
}
