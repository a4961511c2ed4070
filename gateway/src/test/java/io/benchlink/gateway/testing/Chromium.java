package io.benchlink.gateway.testing;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.benchlink.common.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;

/**
 * A headless Chromium driven over the DevTools protocol (CDP) with the project's own WebSocket client: launch,
 * navigate, evaluate JavaScript, take a screenshot. Enough for a browser test without an npm step. Each instance
 * owns its browser process (and its children) and a fresh profile directory, all removed on {@link #close}.
 */
public final class Chromium implements AutoCloseable {
    public static final Path BINARY = Path.of("/usr/bin/chromium");
    private static final List<String> FLAGS = List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--remote-debugging-port=0", "--remote-allow-origins=*", "--window-size=1280,800");

    private final Process process;
    private final Path profile;
    private final Page page;

    private Chromium(Process process, Path profile, Page page) {
        this.process = process;
        this.profile = profile;
        this.page = page;
    }

    public static boolean installed() {
        return Files.isExecutable(BINARY);
    }

    /** Starts the browser with an empty page and connects to that page's DevTools endpoint. */
    public static Chromium launch(Path logFile) throws Exception {
        return launch(logFile, List.of());
    }

    /** As {@link #launch(Path)}, with extra command-line flags (e.g. a proxy, see {@link #blockingPort}). */
    public static Chromium launch(Path logFile, List<String> extraFlags) throws Exception {
        Path profile = Files.createTempDirectory("benchlink-chromium");
        List<String> command = new java.util.ArrayList<>(List.of(BINARY.toString()));
        command.addAll(FLAGS);
        command.addAll(extraFlags);
        command.add("--user-data-dir=" + profile);
        command.add("about:blank");
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(logFile.toFile()).start();
        try {
            int port = devToolsPort(profile.resolve("DevToolsActivePort"), process);
            Page page = Page.connect(port);
            return new Chromium(process, profile, page);
        } catch (Exception e) {
            stop(process);
            throw e;
        }
    }

    private static int devToolsPort(Path file, Process process) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60); // a cold start on a loaded 2-core box is slow
        while (System.nanoTime() < deadline && process.isAlive()) {
            if (Files.exists(file)) {
                List<String> lines = Files.readAllLines(file);
                if (!lines.isEmpty() && !lines.get(0).isBlank()) {
                    return Integer.parseInt(lines.get(0).trim());
                }
            }
            Thread.sleep(50); // waiting for another process to write a file; there is nothing to be notified by
        }
        throw new IllegalStateException("chromium did not open its DevTools port (alive: " + process.isAlive() + ")");
    }

    /**
     * Flags that make every connection from the browser to 127.0.0.1 go through a "proxy" at {@code deadEnd}
     * (a socket that never answers, like a firewall dropping packets), except those to {@code openPort}: the page
     * can reach the HTTP port and nothing else on that host. Chromium sends ws:// through the proxy too, and would
     * otherwise bypass any proxy for loopback ({@code <-loopback>} lifts that).
     */
    public static List<String> blockingPort(int openPort, int deadEnd) {
        return List.of("--proxy-server=http://127.0.0.1:" + deadEnd,
                "--proxy-bypass-list=<-loopback>;127.0.0.1:" + openPort);
    }

    public void navigate(String url) throws Exception {
        JsonObject params = new JsonObject();
        params.addProperty("url", url);
        page.call("Page.navigate", params);
    }

    /** Evaluates an expression in the page and returns its value (JSON-serialisable results only). */
    public JsonElement evaluate(String expression) throws Exception {
        JsonObject params = new JsonObject();
        params.addProperty("expression", expression);
        params.addProperty("returnByValue", true);
        JsonObject result = page.call("Runtime.evaluate", params);
        if (result.has("exceptionDetails")) {
            throw new IllegalStateException("page threw: " + result.get("exceptionDetails"));
        }
        JsonObject value = result.getAsJsonObject("result");
        return value.has("value") ? value.get("value") : null;
    }

    public void screenshot(Path file) throws Exception {
        JsonObject params = new JsonObject();
        params.addProperty("format", "png");
        String data = page.call("Page.captureScreenshot", params).get("data").getAsString();
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, Base64.getDecoder().decode(data));
    }

    @Override
    public void close() throws IOException {
        page.close();
        stop(process);
        try (Stream<Path> files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static void stop(Process process) {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The DevTools WebSocket of one page: numbered requests, each answered by a response with the same id. */
    private static final class Page extends WebSocketClient {
        private final AtomicInteger ids = new AtomicInteger();
        private final Map<Integer, CompletableFuture<JsonObject>> pending = new ConcurrentHashMap<>();

        private Page(URI uri) {
            super(uri);
        }

        static Page connect(int port) throws Exception {
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> list = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/json/list")).timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.ofString());
            String url = null;
            for (JsonElement target : JsonParser.parseString(list.body()).getAsJsonArray()) {
                JsonObject t = target.getAsJsonObject();
                if (t.get("type").getAsString().equals("page")) {
                    url = t.get("webSocketDebuggerUrl").getAsString();
                    break;
                }
            }
            if (url == null) {
                throw new IllegalStateException("chromium has no page target: " + list.body());
            }
            Page page = new Page(URI.create(url));
            if (!page.connectBlocking(5, TimeUnit.SECONDS)) {
                throw new IllegalStateException("could not connect to " + url);
            }
            return page;
        }

        JsonObject call(String method, JsonObject params) throws Exception {
            int id = ids.incrementAndGet();
            CompletableFuture<JsonObject> answer = new CompletableFuture<>();
            pending.put(id, answer);
            JsonObject request = new JsonObject();
            request.addProperty("id", id);
            request.addProperty("method", method);
            request.add("params", params);
            send(Json.GSON.toJson(request));
            JsonObject response = answer.get(10, TimeUnit.SECONDS);
            if (response.has("error")) {
                throw new IllegalStateException(method + " failed: " + response.get("error"));
            }
            return response.getAsJsonObject("result");
        }

        @Override
        public void onMessage(String message) {
            JsonObject object = JsonParser.parseString(message).getAsJsonObject();
            if (object.has("id")) {
                CompletableFuture<JsonObject> answer = pending.remove(object.get("id").getAsInt());
                if (answer != null) {
                    answer.complete(object);
                }
            }
        }

        @Override
        public void onOpen(ServerHandshake handshake) {
        }

        @Override
        public void onClose(int code, String reason, boolean remote) {
            pending.values().forEach(f -> f.completeExceptionally(new IOException("DevTools closed: " + reason)));
        }

        @Override
        public void onError(Exception ex) {
        }
    }
}
