package io.benchlink.gateway.ws;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.java_websocket.server.WebSocketServer;
import org.junit.jupiter.api.Test;

/**
 * Our copy of {@code org.java_websocket.server.WebSocketServer} is the library's 1.6.0 class plus small fixes;
 * {@code ConnectionOutlet}, {@code HandshakeGuard} and the frames of {@code subscribe.TextFrames} rely on other
 * 1.6.0 internals. A different library version on the classpath would silently mix our old copy with new library
 * code, so this test fails first and says what to do.
 */
class JavaWebSocketPatchTest {
    static final String PATCHED_AGAINST = "1.6.0";
    /** SHA-256 of the classes our copy replaces, as shipped in Java-WebSocket 1.6.0 from Maven Central. */
    private static final Map<String, String> ORIGINALS = Map.of(
            "org/java_websocket/server/WebSocketServer.class",
            "3bcf1b64a228c86c616b3920c570d20005e92b579e75d434d4420722277f652d",
            "org/java_websocket/server/WebSocketServer$WebSocketWorker.class",
            "418c7341206754dbaf01d90773e16ffa144805f82a9f9803fd1e2ef955fe3fb6",
            "org/java_websocket/server/WebSocketServer$WebSocketWorker$1.class",
            "aac4f9b9d544e9ad99124b20a492c3dbe7d4fb5b46cd65e566dbda713aa22be8");

    private static final String UPGRADE = """
            Java-WebSocket on the classpath is not %s, the version our patched WebSocketServer was made against.
            To upgrade:
             1. Read the upstream changelog for the selector loop (docs/upstream-java-websocket-selector.md) and the
                write path (SocketChannelIOHelper.batch, WebSocketImpl.outQueue, WebSocketServer.doWrite).
             2. If upstream fixed everything listed in the BENCHLINK PATCH header of our copy, delete
                gateway/src/main/java/org/java_websocket/server/WebSocketServer.java and the shade filter for it in
                gateway/pom.xml; otherwise copy the new upstream WebSocketServer.java over ours and re-apply each
                change listed in that header (each is marked "BENCHLINK PATCH" where it sits).
             3. Check the internals the ws package uses still behave alike (its package-info lists them: outQueue
                written directly by ConnectionOutlet, WrappedByteChannel in HandshakeGuard, raw frames).
             4. Run the tests named in the header (SelectedKeysIT and the others) and the whole gateway suite;
                redo scenario c of docs/PERFORMANCE.md.
             5. Set PATCHED_AGAINST and ORIGINALS here to the new version and its class hashes.
            Found: %s""";

    @Test
    void theJavaWebSocketVersionIsTheOneThePatchWasMadeAgainst() throws IOException {
        Properties pom = new Properties();
        try (InputStream in = WebSocketServer.class.getClassLoader()
                .getResourceAsStream("META-INF/maven/org.java-websocket/Java-WebSocket/pom.properties")) {
            assertThat(in).as(UPGRADE, PATCHED_AGAINST, "no pom.properties").isNotNull();
            pom.load(in);
        }
        String version = pom.getProperty("version");
        assertThat(version).as(UPGRADE, PATCHED_AGAINST, "version " + version).isEqualTo(PATCHED_AGAINST);
    }

    @Test
    void theClassesOurCopyReplacesAreUnchangedInTheLibraryJar() throws Exception {
        for (Map.Entry<String, String> original : ORIGINALS.entrySet()) {
            URL inJar = libraryCopy(original.getKey());
            assertThat(inJar).as(UPGRADE, PATCHED_AGAINST, original.getKey() + " missing from the jar").isNotNull();
            String hash = sha256(inJar);
            assertThat(hash).as(UPGRADE, PATCHED_AGAINST, original.getKey() + " with SHA-256 " + hash)
                    .isEqualTo(original.getValue());
        }
    }

    @Test
    void ourPatchedCopyIsTheOneThatLoads() {
        String loadedFrom = WebSocketServer.class.getProtectionDomain().getCodeSource().getLocation().toString();
        assertThat(loadedFrom).as("the patched class must shadow the library's").doesNotContain("Java-WebSocket");
    }

    /** The library jar's copy of a class (ours, in target/classes, comes first on the classpath). */
    private static URL libraryCopy(String resource) throws IOException {
        List<URL> copies = new ArrayList<>(Collections.list(
                JavaWebSocketPatchTest.class.getClassLoader().getResources(resource)));
        return copies.stream().filter(u -> u.toString().contains("Java-WebSocket")).findFirst().orElse(null);
    }

    private static String sha256(URL url) throws IOException, NoSuchAlgorithmException {
        try (InputStream in = url.openStream()) {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(in.readAllBytes()));
        }
    }
}
