package io.benchlink.gateway.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/**
 * Checks a presented token against the configured ones in constant time, so response timing does not reveal
 * how much of a guess was right. With no tokens configured every caller is let in. Immutable.
 */
public final class TokenCheck {
    private final List<byte[]> tokens;

    public TokenCheck(List<String> tokens) {
        this.tokens = tokens.stream().map(t -> sha256(t)).toList();
    }

    public boolean required() {
        return !tokens.isEmpty();
    }

    public boolean accepts(String presented) {
        if (tokens.isEmpty()) {
            return true;
        }
        if (presented == null) {
            return false;
        }
        // Comparing fixed-length digests keeps the time independent of the token's length too.
        byte[] digest = sha256(presented);
        boolean match = false;
        for (byte[] token : tokens) {
            match |= MessageDigest.isEqual(token, digest);
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

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
