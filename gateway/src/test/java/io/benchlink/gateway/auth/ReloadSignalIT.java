package io.benchlink.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.benchlink.gateway.testing.ChildGateway;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** Issue 7: a real gateway process re-reads its tokens file on SIGHUP (Linux and macOS; Windows needs a restart). */
@Timeout(60)
@EnabledOnOs({OS.LINUX, OS.MAC})
class ReloadSignalIT {
    // A build started under nohup passes SIGHUP on ignored, and the JVM keeps it so: the child says so at start-up.
    private static final String HUP_IGNORED = "SIGHUP is ignored by this process";
    private static final String HUP_IGNORED_REASON = "this build runs with SIGHUP ignored (nohup): its gateways cannot"
            + " take it";
    private static final Pattern HTTP_PORT = Pattern.compile("on https?://[^:]+:(\\d+)/");

    @TempDir
    Path dir;

    @Test
    void sighupSwapsTheTokensOfTheTokensFile() throws Exception {
        Path tokens = dir.resolve("tokens.txt");
        Files.writeString(tokens, "subscriber old-sub-token\n");
        try (ChildGateway gateway = ChildGateway.start(Files.createDirectories(dir.resolve("data")),
                "--tokens-file", tokens.toString())) {
            int httpPort = await().until(() -> httpPort(gateway), p -> p > 0);
            assumeFalse(gateway.log().stream().anyMatch(l -> l.contains(HUP_IGNORED)), HUP_IGNORED_REASON);
            assertThat(status(httpPort, "old-sub-token")).isEqualTo(200);
            assertThat(status(httpPort, "new-sub-token")).isEqualTo(401);

            Files.writeString(tokens, "subscriber new-sub-token\n");
            Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(gateway.pid())).start();
            assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
            await().until(() -> gateway.log().stream().anyMatch(l -> l.contains("tokens reloaded")));

            assertThat(status(httpPort, "new-sub-token")).isEqualTo(200);
            assertThat(status(httpPort, "old-sub-token")).isEqualTo(401);
            assertThat(gateway.log()).noneMatch(l -> l.contains("sub-token"));
        }
    }

    /**
     * The JVM's default SIGHUP handler ends the process: the gateway's own must be in place before any listener
     * opens, or an operator's SIGHUP (or this test, sending one as soon as the port answers) kills a gateway that
     * already accepts connections. SIGHUPs are sent back to back from the moment the WebSocket port accepts until
     * the gateway says it is up, and then some.
     */
    @Test
    void aSighupFromTheMomentTheFirstListenerOpensNeverEndsTheGatewayAndIsActedOn() throws Exception {
        Path tokens = dir.resolve("tokens.txt");
        Files.writeString(tokens, "subscriber early-sub-token\n");
        int wsPort = freePort();
        int httpPort = freePort();
        Path log = dir.resolve("child.log");
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-Dlogback.configurationFile=logback.xml", "-cp", System.getProperty("java.class.path"),
                "io.benchlink.gateway.app.GatewayMain", "--bind", "127.0.0.1", "--port", Integer.toString(wsPort),
                "--http-port", Integer.toString(httpPort), "--data-dir",
                Files.createDirectories(dir.resolve("data")).toString(), "--tokens-file", tokens.toString());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("BENCHLINK_LOG_LEVEL", "INFO");
        Process child = builder.start();
        try {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5))
                    .until(() -> accepts(wsPort) || !child.isAlive());
            int sent = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (child.isAlive() && (sent < 20 || !logged(log, "gateway listening")) && System.nanoTime() < deadline) {
                new ProcessBuilder("kill", "-HUP", Long.toString(child.pid())).start().waitFor(10, TimeUnit.SECONDS);
                sent++;
            }
            assertThat(child.isAlive()).as("alive after %d SIGHUPs; log: %s", sent, Files.readString(log, StandardCharsets.ISO_8859_1)).isTrue();
            assumeFalse(logged(log, HUP_IGNORED), HUP_IGNORED_REASON);
            await().until(() -> logged(log, "tokens reloaded"));
            assertThat(status(httpPort, "early-sub-token")).isEqualTo(200);
        } finally {
            child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static boolean logged(Path log, String text) throws Exception {
        return new String(Files.readAllBytes(log), StandardCharsets.UTF_8).contains(text); // lenient: still written
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static int httpPort(ChildGateway gateway) {
        for (String line : gateway.log()) {
            Matcher m = HTTP_PORT.matcher(line);
            if (line.contains("HTTP API") && m.find()) {
                return Integer.parseInt(m.group(1));
            }
        }
        return -1;
    }

    private static int status(int port, String token) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/devices"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }
}
