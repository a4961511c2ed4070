package io.benchlink.gateway.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;

/**
 * The browser origins allowed to call the gateway ({@code --allowed-origin}), in the form a browser sends in its
 * {@code Origin} header: {@code scheme://host[:port]}, lower case, default port left out. Stateless.
 */
public final class Origins {
    private Origins() {
    }

    /** Each entry normalised; a path, query, user info or a scheme other than http/https is refused. */
    public static List<String> normalise(List<String> origins) {
        return origins.stream().map(Origins::normalise).distinct().toList();
    }

    /**
     * The origin in the browser's form, or null when {@code text} is not one (a browser sends {@code null} for
     * opaque origins: that text never matches a configured origin).
     */
    public static String parse(String text) {
        URI uri;
        try {
            uri = new URI(text.strip());
        } catch (URISyntaxException e) {
            return null;
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean bare = (uri.getRawPath() == null || uri.getRawPath().isEmpty()) && uri.getRawQuery() == null
                && uri.getRawFragment() == null && uri.getRawUserInfo() == null;
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || !bare) {
            return null;
        }
        int port = uri.getPort();
        boolean defaultPort = port == -1 || (scheme.equals("http") && port == 80) || (scheme.equals("https")
                && port == 443);
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
    }

    private static String normalise(String text) {
        String origin = text == null ? null : parse(text);
        if (origin == null) {
            throw new InvalidOption("--allowed-origin", text,
                    "must be an origin: http or https, a host and an optional port, e.g. https://ops.example:8001");
        }
        return origin;
    }
}
