package io.benchlink.gateway.auth;

import io.benchlink.gateway.config.AgentTokenSyntax;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/**
 * Checks a presented token against the configured ones in constant time, so response timing does not reveal
 * how much of a guess was right. With no tokens configured every caller is let in. An agent token may be bound to
 * one agent_id ({@link #forAgents}); a bound token is accepted only in that agent's hello.
 *
 * <p>Thread-safe: the token list is an immutable snapshot in a volatile field, replaced as a whole by
 * {@link #replace} when the tokens file is re-read (SIGHUP); a check sees either the old or the new list.
 */
public final class TokenCheck {
    private record Entry(String agentId, byte[] digest) {
    }

    private final boolean agentSyntax;
    private volatile List<Entry> entries;

    /** Unbound tokens, taken literally (subscriber tokens; agent tokens before issue 7). */
    public TokenCheck(List<String> tokens) {
        this(tokens, false);
    }

    private TokenCheck(List<String> tokens, boolean agentSyntax) {
        this.agentSyntax = agentSyntax;
        this.entries = parse(tokens);
    }

    /** Agent token entries: {@code TOKEN} or {@code AGENT_ID:TOKEN} ({@link AgentTokenSyntax}). */
    public static TokenCheck forAgents(List<String> entries) {
        return new TokenCheck(entries, true);
    }

    /** Swaps in a new list atomically (tokens file reload). Connections already admitted stay. */
    public void replace(List<String> tokens) {
        entries = parse(tokens);
    }

    public boolean required() {
        return !entries.isEmpty();
    }

    /** How many tokens are set (for start-up and reload log lines; never the tokens themselves). */
    public int size() {
        return entries.size();
    }

    /** True for an unbound token (or when none are configured). Bound agent tokens never pass here. */
    public boolean accepts(String presented) {
        return accepts(presented, null);
    }

    /** True for an unbound token or one bound to {@code agentId} (or when none are configured). */
    public boolean accepts(String presented, String agentId) {
        List<Entry> current = entries;
        if (current.isEmpty()) {
            return true;
        }
        if (presented == null) {
            return false;
        }
        // Comparing fixed-length digests keeps the time independent of the token's length too; every entry is
        // compared, so the time does not depend on which one matched either.
        byte[] digest = sha256(presented);
        boolean match = false;
        for (Entry entry : current) {
            boolean boundOk = entry.agentId() == null || entry.agentId().equals(agentId);
            match |= MessageDigest.isEqual(entry.digest(), digest) & boundOk;
        }
        return match;
    }

    /** The token of an {@code Authorization: Bearer ...} header, or null. */
    public static String bearer(String header) {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = header.substring(7).trim();
        return token.isEmpty() ? null : token;
    }

    private List<Entry> parse(List<String> tokens) {
        return tokens.stream()
                .map(t -> agentSyntax ? new Entry(AgentTokenSyntax.agentId(t), sha256(AgentTokenSyntax.token(t)))
                        : new Entry(null, sha256(t)))
                .toList();
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
