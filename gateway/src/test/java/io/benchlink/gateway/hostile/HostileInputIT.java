package io.benchlink.gateway.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import io.benchlink.common.json.Json;
import io.benchlink.common.protocol.AgentFrame;
import io.benchlink.common.protocol.AgentFrameCodec;
import io.benchlink.common.protocol.FrameException;
import io.benchlink.common.protocol.StatusFrame;
import io.benchlink.common.status.StatusKind;
import io.benchlink.common.time.WallClock;
import io.benchlink.gateway.config.GatewayConfig;
import io.benchlink.gateway.config.SecurityConfig;
import io.benchlink.gateway.store.StoredEvent;
import io.benchlink.gateway.testing.CapturedLogs;
import io.benchlink.gateway.testing.GatewayFixture;
import io.benchlink.gateway.testing.HttpApi;
import io.benchlink.gateway.testing.Subscriber;
import io.benchlink.gateway.testing.TestAgent;
import io.benchlink.gateway.ws.GatewaySocketServer;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7 hostile-input suite: garbage agent frames, odd URLs, half-open sockets and a connection burst against a
 * real gateway on loopback. Bounded in count and time, fixed seeds. After each scenario the gateway must still
 * deliver a probe status to a subscriber within normal latency, hold exactly the events it held plus valid ones,
 * and be back near its starting thread count and heap. Figures go to the test output ({@code HOSTILE ...} lines).
 */
@Timeout(120)
class HostileInputIT {
    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration HEALTHY_LATENCY = Duration.ofSeconds(2);
    private static final AgentFrameCodec CODEC = new AgentFrameCodec(WallClock.system());

    @TempDir
    Path dir;
    GatewayFixture gateway;
    TestAgent probe;
    Subscriber watcher;
    HttpApi http;
    long probeSeq;
    List<StoredEvent> before;
    int threadsBefore;
    long heapBefore;
    long baselineMillis;
    final Set<String> validResults = ConcurrentHashMap.newKeySet();
    /** Devices whose every status was valid (too many to list one by one). */
    final Set<String> validDevices = ConcurrentHashMap.newKeySet();

    @BeforeEach
    void start() throws Exception {
        gateway = new GatewayFixture(dir, c -> c.withSecurity(new SecurityConfig(HANDSHAKE_TIMEOUT,
                SecurityConfig.DEFAULT_MAX_STATUS_RATE, null, null))).withHttp().start();
        http = new HttpApi(gateway);
        for (int i = 0; i < 8; i++) {
            http.get("/healthz"); // the HTTP pool grows to its size on demand: let it before counting threads
        }
        probe = TestAgent.hello(gateway.uri("/ws/agents"), "probe-agent", null, List.of("probe"));
        watcher = Subscriber.connect(gateway.uri("/ws/devices/probe"));
        baselineMillis = probeMillis();
        before = events();
        threadsBefore = threads();
        heapBefore = heapUsed();
    }

    @AfterEach
    void stop() {
        probe.close();
        watcher.close();
        gateway.close();
    }

    // ---- scenarios ------------------------------------------------------------------------------------------------

    @Test
    void survivesMutatedAndRandomAgentFrames() throws Exception {
        Random random = new Random(7);
        Map<Integer, Integer> closeCodes = new TreeMap<>();
        int frames = 400;
        int hungUp = 0;
        long start = System.nanoTime();
        for (int i = 0; i < frames; i++) {
            try (RawPeer peer = new RawPeer(port())) {
                assertThat(peer.upgrade("/ws/agents")).startsWith("HTTP/1.1 101");
                peer.text("{\"type\":\"hello\",\"agent_id\":\"fuzz-" + (i % 20) + "\",\"devices\":[\"fz\"]}");
                try {
                    sendHostileFrame(peer, random, i);
                } catch (IOException e) {
                    hungUp++; // the gateway may close while a too-large frame is still being written: fine
                }
                RawPeer.Answer answer = peer.finish("101");
                closeCodes.merge(answer.closeCode(), 1, Integer::sum);
            }
        }
        report("frames", frames, start, "close codes " + closeCodes + " (-1: TCP closed without a close frame), "
                + hungUp + " hung up mid-frame, " + validResults.size() + " valid statuses among them");
        assertThat(closeCodes).doesNotContainKey(1011);
        assertStillHealthy();
    }

    @Test
    void refusesOddUrlsWith404Or4400AndNeverAServerError() throws Exception {
        List<String> paths = new ArrayList<>(List.of("/ws/devices/..", "/ws/devices/../agents", "/ws/devices/%2e%2e",
                "/ws/devices/..%2F..%2Fetc%2Fpasswd", "/ws/devices/a%00b", "/ws/devices/%00", "/ws/devices/%",
                "/ws/devices/%zz", "/ws/devices/" + "a".repeat(5000), "/ws/devices/all?" + "a=1&".repeat(1000),
                "/ws/devices/прибор-7", "/ws/devices/%D0%BF%D1%80%D0%B8", "/ws/devices/\u00ff\u00fe",
                "/ws/devices/all?since=99999999999999999999", "/ws/devices/all?token=%", "/ws/agents?x=%00",
                "//ws/devices/all", "/ws/devices/all#frag", "/ws/devices/ALL", "*", "http://evil/ws/devices/all"));
        Random random = new Random(11);
        for (int i = 0; i < 100; i++) {
            byte[] bytes = new byte[1 + random.nextInt(40)];
            random.nextBytes(bytes);
            StringBuilder path = new StringBuilder("/ws/devices/");
            for (byte b : bytes) {
                path.append(random.nextBoolean() ? String.format("%%%02X", b & 0xff) : (char) (0x21 + (b & 0x3f)));
            }
            paths.add(path.toString());
        }
        Map<String, Integer> outcomes = new TreeMap<>();
        long start = System.nanoTime();
        for (String path : paths) {
            String wire = new String(path.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
            try (RawPeer peer = new RawPeer(port())) {
                String status = peer.upgrade(wire);
                String outcome = status.startsWith("HTTP/1.1 101") ? "101+close " + peer.finish(status).closeCode()
                        : status.isEmpty() ? "dropped" : status.substring(0, Math.min(12, status.length()));
                outcomes.merge(outcome, 1, Integer::sum);
                assertThat(outcome).as(path).isIn("HTTP/1.1 404", "101+close 4400", "101+close 1000", "dropped");
            }
            String httpStatus = httpStatus(wire.replace("/ws/devices/", "/api/devices/"));
            outcomes.merge("http " + httpStatus, 1, Integer::sum);
            assertThat(httpStatus).as(path).matches("4\\d\\d|none");
        }
        report("urls", paths.size(), start, "outcomes " + outcomes);
        assertStillHealthy();
    }

    @Test
    void closesSlowlorisSocketsAtTheHandshakeDeadlineWhileServingOthers() throws Exception {
        int sockets = 300;
        int drips = 100;
        List<Socket> open = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < sockets; i++) {
            Socket socket = new Socket();
            socket.setSoTimeout(10_000);
            socket.connect(new InetSocketAddress("127.0.0.1", port()), 5_000);
            socket.getOutputStream().write("GET /ws/devices/all HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            open.add(socket);
        }
        long openedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        long probeDuring = probeMillis(); // served while 300 sockets hang
        // Dripping one header byte every 250 ms does not extend the deadline: it counts from the TCP accept.
        long dripUntil = System.nanoTime() + 2 * HANDSHAKE_TIMEOUT.toNanos();
        while (System.nanoTime() < dripUntil) {
            for (Socket socket : open.subList(0, drips)) {
                try {
                    socket.getOutputStream().write('X');
                } catch (IOException closed) {
                    // expected once the gateway has closed it
                }
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(250)); // pacing the attacker, not synchronising
        }
        int closed = 0;
        for (Socket socket : open) {
            closed += endsByServer(socket) ? 1 : 0;
            socket.close();
        }
        report("slowloris", sockets, start, closed + " closed by the gateway; opened in " + openedMillis + " ms; probe during attack "
                + probeDuring + " ms");
        assertThat(closed).isEqualTo(sockets);
        assertThat(probeDuring).isLessThan(HEALTHY_LATENCY.toMillis());
        await().until(() -> gateway.gateway().handshakes().pending() == 0);
        assertStillHealthy();
    }

    @Test
    void closesTricklingHttpRequestsAtTheRequestDeadlineWhileTheApiAnswers() throws Exception {
        int sockets = 40; // five times the HTTP pool of eight threads before issue 14
        List<Socket> open = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < sockets; i++) {
            Socket socket = new Socket();
            socket.setSoTimeout(30_000);
            socket.connect(new InetSocketAddress("127.0.0.1", gateway.gateway().httpPort()), 5_000);
            // half never finish their headers, half announce a body and never finish it
            String head = i % 2 == 0 ? "GET /api/devices HTTP/1.1\r\nHost: x\r\nX-Slow: "
                    : "POST /api/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                            + "Content-Length: 100000\r\n\r\n{";
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            open.add(socket);
        }
        long apiDuring = 0;
        long dripUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (System.nanoTime() < dripUntil) {
            for (Socket socket : open) {
                try {
                    socket.getOutputStream().write('x');
                } catch (IOException closed) {
                    // expected once the gateway has closed it
                }
            }
            long asked = System.nanoTime();
            assertThat(http.get("/healthz").statusCode()).isEqualTo(200);
            apiDuring = Math.max(apiDuring, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - asked));
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(250)); // pacing the attacker, not synchronising
        }
        int closed = 0;
        for (Socket socket : open) {
            closed += endsByServer(socket) ? 1 : 0; // the JDK server's request timer, 10 s from the first byte
            socket.close();
        }
        report("http-slowloris", sockets, start, closed + " closed by the gateway; slowest /healthz during attack "
                + apiDuring + " ms");
        assertThat(apiDuring).as("slowest /healthz while 40 requests trickle").isLessThan(HEALTHY_LATENCY.toMillis());
        assertThat(closed).isEqualTo(sockets);
        assertStillHealthy();
    }

    @Test
    void dropsAnAgentThatNeverReadsItsAcksAndLosesNothing() throws Exception {
        int sent = 0;
        boolean dropped = false;
        long start = System.nanoTime();
        long deadline = start + TimeUnit.SECONDS.toNanos(60);
        validDevices.add("deaf-1");
        try (CapturedLogs logs = new CapturedLogs(); RawPeer peer = new RawPeer(port(), 1024)) {
            assertThat(peer.upgrade("/ws/agents")).startsWith("HTTP/1.1 101");
            peer.text("{\"type\":\"hello\",\"agent_id\":\"deaf\",\"devices\":[\"deaf-1\"]}");
            while (!dropped && System.nanoTime() < deadline) {
                try {
                    peer.text(CODEC.encode(new StatusFrame(sent + 1,
                            TestAgent.result("deaf-1", StatusKind.SUCCESS, "r-" + (sent + 1)))));
                    sent++;
                } catch (IOException e) {
                    dropped = true; // the gateway hung up: what it should do, 5 s after its 1013 close
                }
            }
            String refusal = "more than " + GatewaySocketServer.MAX_UNREAD_AGENT_FRAMES + " acks not read";
            report("deaf-agent", sent, start, (dropped ? "dropped" : "still open") + " after " + sent + " statuses");
            assertThat(dropped).as("the gateway dropped the agent that does not read its acks").isTrue();
            assertThat(logs.lines()).anyMatch(line -> line.contains(refusal));
        }
        // Nothing lost: the welcome says where to resume, and every seq up to the agent's mark is stored (statuses
        // still queued for the writer when the link dropped may commit after the welcome; a resend is then deduped).
        TestAgent again = TestAgent.hello(gateway.uri("/ws/agents"), "deaf", null, List.of("deaf-1"));
        assertThat(again.lastSeq()).isBetween(1L, (long) sent);
        await().atMost(Duration.ofSeconds(30)).until(() -> gateway.gateway().store().eventsAfter(0, "deaf-1", 1_000_000)
                .size() == gateway.gateway().writer().agentHighWater("deaf"));
        again.close();
        assertStillHealthy();
    }

    @Test
    void refusesPostsNotDeclaredJsonWith415AndStoresNothingFromThem() throws Exception {
        String status = "{\"mac_address\":\"unknown\",\"serial_number\":\"unknown\",\"status\":\"success\","
                + "\"time_start\":null,\"time_end\":null,\"result\":\"%s\",\"device_id\":\"form\"}";
        long start = System.nanoTime();
        // what a page on another site can make a browser send without asking (no preflight), and no type at all
        List<String> types = List.of("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; b=x",
                "application/jsonp", "");
        for (String type : types) {
            String head = "POST /api/events HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                    + (type.isEmpty() ? "" : "Content-Type: " + type + "\r\n");
            byte[] body = String.format(status, type).getBytes(StandardCharsets.UTF_8);
            assertThat(http.raw(head + "Content-Length: " + body.length + "\r\n\r\n", body)).as(type)
                    .startsWith("HTTP/1.1 415");
        }
        assertThat(http.post("/api/events", String.format(status, "json"), "Content-Type",
                "Application/JSON; charset=utf-8").statusCode()).isEqualTo(201);
        validResults.add(key("form", "SUCCESS", "json", "unknown"));
        report("content-type", types.size(), start, "all refused with 415; application/json accepted");
        assertStillHealthy();
    }

    @Test
    void survivesABurstOf5000ConnectionAttempts() throws Exception {
        int attempts = 5_000;
        AtomicInteger upgraded = new AtomicInteger();
        AtomicInteger plainClosed = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        long start = System.nanoTime();
        List<Future<?>> work = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int thread = t;
            work.add(pool.submit(() -> {
                Random random = new Random(100 + thread);
                for (int i = thread; i < attempts && System.nanoTime() < deadline; i += 8) {
                    try (RawPeer peer = new RawPeer(port())) {
                        int kind = random.nextInt(10);
                        if (kind < 5) {
                            if (peer.upgrade("/ws/devices/all").startsWith("HTTP/1.1 101")) {
                                peer.finish("101");
                                upgraded.incrementAndGet();
                            } else {
                                failed.incrementAndGet();
                            }
                        } else {
                            if (kind >= 8) {
                                byte[] garbage = new byte[1 + random.nextInt(512)];
                                random.nextBytes(garbage);
                                peer.raw(garbage);
                            }
                            plainClosed.incrementAndGet(); // connect and hang up (with or without garbage)
                        }
                    } catch (IOException e) {
                        failed.incrementAndGet();
                    }
                }
            }));
        }
        for (Future<?> f : work) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        int done = upgraded.get() + plainClosed.get() + failed.get();
        report("burst", done, start, upgraded + " upgraded and closed, " + plainClosed + " connect+hang-up, "
                + failed + " failed");
        assertThat(done).isEqualTo(attempts);
        assertThat(failed.get()).isLessThan(attempts / 100);
        await().atMost(Duration.ofSeconds(10)).until(() -> gateway.gateway().hub().size() == 1
                && gateway.gateway().handshakes().pending() == 0);
        assertStillHealthy();
    }

    // ---- hostile frames -------------------------------------------------------------------------------------------

    private void sendHostileFrame(RawPeer peer, Random random, int i) throws IOException {
        String valid = CODEC.encode(new StatusFrame(i + 1, TestAgent.result("fz", StatusKind.SUCCESS, "r-" + i)));
        switch (random.nextInt(9)) {
            case 0 -> sendText(peer, mutate(valid, random));
            case 1 -> sendText(peer, valid.substring(0, random.nextInt(valid.length())));
            case 2 -> {
                int depth = 500 + random.nextInt(20_000);
                sendText(peer, random.nextBoolean() ? "[".repeat(depth) + "]".repeat(depth)
                        : "{\"type\":\"status\",\"seq\":1,\"status\":" + "{\"a\":".repeat(depth) + "1"
                        + "}".repeat(depth + 1));
            }
            case 3 -> {
                int size = List.of(60_000, 70_000, 300_000).get(random.nextInt(3));
                sendText(peer, valid.replace("\"r-" + i + "\"", "\"" + "x".repeat(size) + "\""));
            }
            case 4 -> sendText(peer, valid.replaceFirst(List.of("\"seq\":\\d+", "\"status\":\"success\"",
                    "\"device_id\":\"fz\"", "\"type\":\"status\"").get(random.nextInt(4)),
                    List.of("\"seq\":\"1\"", "\"status\":[1,2]", "\"device_id\":{}", "\"type\":null",
                            "\"seq\":1e300", "\"seq\":-5").get(random.nextInt(6))));
            case 5 -> peer.frame(RawPeer.TEXT, new byte[] {'{', '"', (byte) 0xC3, 0x28, (byte) 0xFF, '"', '}'});
            case 6 -> peer.frame(RawPeer.BINARY, randomBytes(random, 1 + random.nextInt(2000)));
            case 7 -> peer.raw(randomBytes(random, 1 + random.nextInt(2000)));
            default -> peer.frame(random.nextBoolean() ? 0x3 : 0xB, randomBytes(random, random.nextInt(100)));
        }
    }

    /** Sends a text frame and remembers its status if the codec takes it: that one may be stored. */
    private void sendText(RawPeer peer, String text) throws IOException {
        try {
            AgentFrame frame = CODEC.decode(text, WallClock.system().now());
            if (frame instanceof StatusFrame status) {
                validResults.add(key(status.status().deviceId(), status.status().status().name(),
                        status.status().result(), status.status().macAddress()));
            }
        } catch (FrameException | RuntimeException | StackOverflowError e) {
            // not valid: the gateway must store nothing from it
        }
        peer.text(text);
    }

    /** What identifies a status the fuzzer sent (the gateway sets updated_at and seq itself). */
    private static String key(String deviceId, String status, String result, String mac) {
        return deviceId + "|" + status + "|" + result + "|" + mac;
    }

    private static String mutate(String text, Random random) {
        StringBuilder out = new StringBuilder(text);
        for (int n = 1 + random.nextInt(3); n > 0; n--) {
            int at = random.nextInt(out.length());
            char c = random.nextInt(4) == 0 ? (char) random.nextInt(0x10000) : (char) (0x20 + random.nextInt(0x5f));
            if (Character.isSurrogate(c)) {
                c = '?';
            }
            out.setCharAt(at, c);
        }
        return out.toString();
    }

    private static byte[] randomBytes(Random random, int n) {
        byte[] bytes = new byte[n];
        random.nextBytes(bytes);
        return bytes;
    }

    // ---- health ---------------------------------------------------------------------------------------------------

    private void assertStillHealthy() throws Exception {
        long latency = probeMillis();
        assertThat(latency).as("probe latency (baseline %d ms)", baselineMillis).isLessThan(HEALTHY_LATENCY.toMillis());
        await().atMost(Duration.ofSeconds(15)).until(() -> threads() <= threadsBefore + 4);
        await().atMost(Duration.ofSeconds(15)).until(() -> heapUsed() <= heapBefore + 64L * 1024 * 1024);
        List<StoredEvent> after = events();
        assertThat(after.subList(0, before.size())).isEqualTo(before);
        for (StoredEvent event : after.subList(before.size(), after.size())) {
            boolean probeEvent = event.deviceId().equals("probe") || validDevices.contains(event.deviceId());
            JsonObject json = Json.parseObject(event.json());
            boolean valid = validResults.contains(key(json.get("device_id").getAsString(),
                    json.get("status").getAsString().toUpperCase(java.util.Locale.ROOT),
                    json.get("result").isJsonNull() ? null : json.get("result").getAsString(),
                    json.get("mac_address").getAsString()));
            assertThat(probeEvent || valid).as("unexpected stored event %s", event.json()).isTrue();
        }
        System.out.printf("HOSTILE health: probe %d ms (baseline %d ms), threads %d (start %d), heap %d MB (start %d MB),"
                + " events %d (start %d)%n", latency, baselineMillis, threads(), threadsBefore, heapUsed() >> 20,
                heapBefore >> 20, after.size(), before.size());
    }

    /** Sends one probe status and returns how long until the subscriber has it. */
    private long probeMillis() {
        long seq = ++probeSeq;
        int seen = watcher.count();
        long start = System.nanoTime();
        probe.sendStatus(seq, TestAgent.result("probe", StatusKind.SUCCESS, "probe " + seq));
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(2)).until(() -> watcher.count() > seen);
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    private List<StoredEvent> events() {
        return gateway.gateway().store().eventsAfter(0, null, 100_000);
    }

    private static int threads() {
        return ManagementFactory.getThreadMXBean().getThreadCount();
    }

    private static long heapUsed() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private int port() {
        return gateway.gateway().port();
    }

    private static boolean endsByServer(Socket socket) {
        try {
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[1024];
            while (in.read(buffer) >= 0) {
                // discard whatever the server says before it hangs up
            }
            return true;
        } catch (IOException e) {
            return e.getMessage() != null && e.getMessage().contains("reset");
        }
    }

    private String httpStatus(String path) {
        try (Socket socket = new Socket()) {
            socket.setSoTimeout(5_000);
            socket.connect(new InetSocketAddress("127.0.0.1", gateway.gateway().httpPort()), 5_000);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            byte[] head = socket.getInputStream().readNBytes(12);
            String line = new String(head, StandardCharsets.ISO_8859_1);
            return line.length() >= 12 ? line.substring(9, 12) : "none";
        } catch (IOException e) {
            return "none";
        }
    }

    private static void report(String scenario, int count, long startNanos, String detail) {
        System.out.printf("HOSTILE %s: %d in %d ms; %s%n", scenario, count,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos), detail);
    }
}
