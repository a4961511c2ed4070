package io.benchlink.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The gateway's package map read from its sources (imports and fully qualified names alike, comments ignored), so a
 * wrong arrow fails the build instead of waiting for the next structural review (issue 17). Cheap: plain text, no
 * bytecode library.
 */
class PackageMapTest {
    private static final Path SOURCES = Path.of("src/main/java");
    private static final Path GATEWAY = SOURCES.resolve("io/benchlink/gateway");
    private static final Pattern REFERENCE = Pattern.compile("\\bio\\.benchlink\\.gateway\\.([a-z]+)\\.");
    private static final Pattern COMMENT = Pattern.compile("(?s)/\\*.*?\\*/|//[^\\n]*");
    /** Java-WebSocket internals our patch and our out-queue writes depend on; see the ws package's Javadoc. */
    private static final Pattern LIBRARY_INTERNALS = Pattern.compile(
            "\\b(WebSocketImpl|outQueue|SocketChannelIOHelper|WrappedByteChannel|org\\.java_websocket\\.server\\.WebSocketServer)\\b");

    @Test
    void noImportCycleBetweenGatewayPackages() {
        Map<String, Set<String>> arrows = arrows();
        List<String> cycles = new ArrayList<>();
        for (String from : arrows.keySet()) {
            for (String to : arrows.get(from)) {
                List<String> back = path(arrows, to, from, new TreeSet<>());
                if (back != null && from.compareTo(to) < 0) {
                    cycles.add(from + " -> " + String.join(" -> ", back));
                }
            }
        }
        assertThat(cycles).as("package import cycles (map: %s)", arrows).isEmpty();
    }

    @Test
    void javaWebSocketInternalsAreTouchedOnlyFromTheWsPackage() {
        List<String> outside = new ArrayList<>();
        for (Path file : javaFiles(GATEWAY)) {
            if (!file.startsWith(GATEWAY.resolve("ws")) && LIBRARY_INTERNALS.matcher(code(file)).find()) {
                outside.add(SOURCES.relativize(file).toString());
            }
        }
        assertThat(outside).as("classes outside gateway.ws that use Java-WebSocket internals").isEmpty();
    }

    /** Package to the packages it refers to (self-references dropped). */
    private static Map<String, Set<String>> arrows() {
        Map<String, Set<String>> arrows = new TreeMap<>();
        for (Path file : javaFiles(GATEWAY)) {
            String from = GATEWAY.relativize(file).getName(0).toString();
            Set<String> targets = arrows.computeIfAbsent(from, k -> new TreeSet<>());
            Matcher m = REFERENCE.matcher(code(file).replaceFirst("package [^;]+;", ""));
            while (m.find()) {
                if (!m.group(1).equals(from)) {
                    targets.add(m.group(1));
                }
            }
        }
        return arrows;
    }

    /** A path from {@code from} to {@code to} as the list of packages after {@code from}, or null. */
    private static List<String> path(Map<String, Set<String>> arrows, String from, String to, Set<String> seen) {
        if (from.equals(to)) {
            return new ArrayList<>(List.of(to));
        }
        if (!seen.add(from)) {
            return null;
        }
        for (String next : arrows.getOrDefault(from, Set.of())) {
            List<String> rest = path(arrows, next, to, seen);
            if (rest != null) {
                rest.add(0, from);
                return rest;
            }
        }
        return null;
    }

    private static String code(Path file) {
        try {
            return COMMENT.matcher(Files.readString(file, StandardCharsets.UTF_8)).replaceAll(" ");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> javaFiles(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> f.toString().endsWith(".java") && !GATEWAY.equals(f.getParent())).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
