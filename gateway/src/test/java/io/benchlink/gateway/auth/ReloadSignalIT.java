package io.benchlink.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.benchlink.gateway.testing.ChildGateway;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
