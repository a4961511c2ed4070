package io.benchlink.agent.uplink;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Issue 14.6: an agent token sent over plain {@code ws://} to another machine can be read by anyone on the network.
 * Says so once per gateway URL; loopback (a gateway on the same machine) and {@code wss://} are fine, and so is an
 * empty token. Never resolves a host name (that could block): only {@code localhost} and loopback IP literals count
 * as loopback. Owned by: agent-uplink.
 */
final class PlainTokenWarning {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private final Set<URI> warned = new HashSet<>();

    /** The warning for {@code gateway} the first time it is asked about it and the token would be exposed. */
    Optional<String> check(URI gateway, String token) {
        if (!exposes(gateway, token) || !warned.add(gateway)) {
            return Optional.empty();
        }
        return Optional.of("the agent token goes unencrypted over ws:// to " + gateway.getHost()
                + ", so anyone on that network can read it; use wss:// (docs/SECURITY.md)");
    }

    static boolean exposes(URI gateway, String token) {
        return token != null && !token.isEmpty() && "ws".equalsIgnoreCase(gateway.getScheme())
                && !loopback(gateway.getHost());
    }

    static boolean loopback(String host) {
        if (host == null) {
            return false;
        }
        String name = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (name.equalsIgnoreCase("localhost") || name.toLowerCase(Locale.ROOT).endsWith(".localhost")) {
            return true;
        }
        if (!IPV4.matcher(name).matches() && !name.contains(":")) {
            return false; // a host name: not resolved here
        }
        try {
            return InetAddress.getByName(name).isLoopbackAddress(); // an IP literal: no lookup
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
