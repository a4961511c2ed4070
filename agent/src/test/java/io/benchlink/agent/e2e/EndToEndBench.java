package io.benchlink.agent.e2e;

import com.google.gson.JsonObject;
import io.benchlink.agent.testing.ChildJvm;
import io.benchlink.agent.testing.CuttableProxy;
import io.benchlink.agent.testing.NativeForTests;
import io.benchlink.agent.testing.PtyPair;
import io.benchlink.common.json.Json;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;

/**
 * Benchmark, not a test (command and figures in docs/PERFORMANCE-e2e.md): real gateway and agent JVMs, a socat pty
 * tester and a subscriber in this JVM, so both ends of each measurement use one clock.
 * <ol>
 *   <li>latency: tester line written → the subscriber's receipt of that result, p50/p99/max in steady state;</li>
 *   <li>drain: the gateway is SIGKILLed, the tester writes 10,000 results into the agent's spool during the outage,
 *   the gateway restarts; time until the subscriber has all of them, split into reconnect and transfer.</li>
 * </ol>
 * Arguments: {@code [rate/s=20] [latency seconds=30] [drain results=10000] [outage seconds=20]}. Bounded; it stops
 * by itself and kills its children.
 */
public final class EndToEndBench {
    private static final Pattern WS_PORT = Pattern.compile("gateway listening on ws://[^:]+:(\\d+)");
    private static final Pattern OPEN = Pattern.compile("bench-1 - .* open$");
    private static final Pattern WELCOMED = Pattern.compile("(uplink - connected to .*)");
    private static final Duration START = Duration.ofSeconds(60);

    private final Path dir;
    private final Map<String, Long> writtenAt = new ConcurrentHashMap<>();
    private final Map<String, Long> receivedAt = new ConcurrentHashMap<>();
    private ChildJvm gateway;
    private int gatewayPort;
    private int gatewayRuns;

    private EndToEndBench(Path dir) {
        this.dir = dir;
    }

    public static void main(String[] args) throws Exception {
        int rate = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        int drain = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
        int outage = args.length > 3 ? Integer.parseInt(args[3]) : 20;
        Path dir = Files.createTempDirectory("e2e-bench");
        System.out.printf(Locale.ROOT, "# %d cores, %s, logs in %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), dir);
        NativeForTests.load();
        new EndToEndBench(dir).run(rate, seconds, drain, outage);
        System.exit(0);
    }

    private void run(int rate, int seconds, int drain, int outage) throws Exception {
        try (PtyPair pty = new PtyPair(Files.createDirectories(dir.resolve("pty"))).start()) {
            startGateway();
            try (CuttableProxy proxy = new CuttableProxy(gatewayPort);
                    ChildJvm agent = startAgent(proxy, pty)) {
                Listener subscriber = subscribe(0);
                latency(pty, rate, seconds);
                subscriber.closeBlocking();
                drain(pty, proxy, agent, drain, outage, rate * seconds + 1_000);
            } finally {
                gateway.close();
            }
        }
    }

    private void latency(PtyPair pty, int rate, int seconds) throws Exception {
        int warmup = rate * 5;
        int total = warmup + rate * seconds;
        long period = TimeUnit.SECONDS.toNanos(1) / rate;
        long next = System.nanoTime();
        for (int n = 1; n <= total; n++) {
            String serial = PacedTester.serial(n);
            writtenAt.put(serial, System.nanoTime());
            pty.writeLines("\n", PacedTester.line(n));
            next += period;
            LockSupport.parkNanos(Math.max(0, next - System.nanoTime())); // pacing, not synchronisation
        }
        awaitReceived(total, Duration.ofSeconds(30));
        long[] micros = new long[total - warmup];
        for (int n = warmup + 1; n <= total; n++) {
            String serial = PacedTester.serial(n);
            micros[n - warmup - 1] = (receivedAt.get(serial) - writtenAt.get(serial)) / 1_000;
        }
        Arrays.sort(micros);
        System.out.printf(Locale.ROOT, "latency tester line -> subscriber, %d results at %d/s after %d warm-up:"
                + " p50 %.1f ms, p99 %.1f ms, max %.1f ms%n", micros.length, rate, warmup, pct(micros, 50) / 1e3,
                pct(micros, 99) / 1e3, micros[micros.length - 1] / 1e3);
    }

    private void drain(PtyPair pty, CuttableProxy proxy, ChildJvm agent, int count, int outage, int first)
            throws Exception {
        int last = first + count - 1;
        gateway.kill();
        long down = System.nanoTime();
        for (int n = first; n <= last; n++) { // as fast as the pty takes them; the agent spools them
            pty.writeLines("\n", PacedTester.line(n));
        }
        awaitSpooled(PacedTester.serial(last));
        double spooled = (System.nanoTime() - down) / 1e9;
        long outageEnd = down + TimeUnit.SECONDS.toNanos(outage);
        LockSupport.parkNanos(Math.max(0, outageEnd - System.nanoTime())); // the outage itself
        int agentLines = agent.lines();
        startGateway();
        long up = System.nanoTime();
        proxy.retarget(gatewayPort);
        Listener subscriber = subscribe(0);
        String welcome = agent.await(WELCOMED, agentLines, Duration.ofSeconds(60));
        long welcomed = System.nanoTime();
        awaitReceived(last, Duration.ofSeconds(120));
        long done = receivedAt.values().stream().mapToLong(Long::longValue).max().orElseThrow();
        subscriber.closeBlocking();
        System.out.printf(Locale.ROOT, "drain: %d results spooled in %.1f s during a %d s outage; after restart:"
                + " agent reconnected in %.1f s (backoff with full jitter), then all received in %.1f s"
                + " (%.0f results/s); %.1f s from gateway start to the last result%n  agent: %s%n", count, spooled,
                outage, (welcomed - up) / 1e9, (done - welcomed) / 1e9, count / ((done - welcomed) / 1e9),
                (done - up) / 1e9, welcome);
    }

    private void awaitReceived(int n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!receivedAt.containsKey(PacedTester.serial(n))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("result " + n + " not received within " + timeout);
            }
            TimeUnit.MILLISECONDS.sleep(5); // polling a benchmark's progress
        }
    }

    private void awaitSpooled(String serial) throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve("spool").resolve("spool.db");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
                    ResultSet rows = s.executeQuery("SELECT payload FROM status ORDER BY seq DESC LIMIT 1")) {
                if (rows.next() && rows.getString(1).contains("\"" + serial + "\"")) {
                    return;
                }
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
        throw new IllegalStateException(serial + " never reached the spool");
    }

    private static double pct(long[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    private void startGateway() throws Exception {
        gatewayRuns++;
        gateway = ChildJvm.start("gateway-" + gatewayRuns, dir.resolve("gateway.log"), List.of(),
                "io.benchlink.gateway.app.GatewayMain", List.of("--bind", "127.0.0.1", "--port", "0",
                        "--http-port", "-1", "--data-dir", dir.resolve("gateway-data").toString()));
        gatewayPort = Integer.parseInt(gateway.await(WS_PORT, 0, START));
    }

    private ChildJvm startAgent(CuttableProxy proxy, PtyPair pty) throws Exception {
        ChildJvm agent = ChildJvm.start("agent", dir.resolve("agent.log"), List.of(),
                "io.benchlink.agent.cli.AgentMain",
                List.of("run", "--gateway", "ws://127.0.0.1:" + proxy.port() + "/ws/agents", "--agent-id", "rig-bench",
                        "--device-id", "bench-1", "--port", pty.a().toString(), "--profile", "kv", "--spool-dir",
                        dir.resolve("spool").toString(), "--native-dir", NativeForTests.DIR.toString()));
        agent.await(OPEN, 0, START);
        return agent;
    }

    private Listener subscribe(long since) throws InterruptedException {
        Listener listener = new Listener(URI.create("ws://127.0.0.1:" + gatewayPort + "/ws/devices/all?since="
                + since));
        if (!listener.connectBlocking(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("subscriber could not connect");
        }
        return listener;
    }

    /** Stamps the receipt time of each result's serial number on arrival (first arrival counts). */
    private final class Listener extends WebSocketClient {
        Listener(URI uri) {
            super(uri);
        }

        @Override
        public void onOpen(ServerHandshake handshake) {
        }

        @Override
        public void onMessage(String message) {
            long now = System.nanoTime();
            JsonObject event = Json.parseObject(message);
            if (!event.get("serial_number").isJsonNull()) {
                receivedAt.putIfAbsent(event.get("serial_number").getAsString(), now);
            }
        }

        @Override
        public void onClose(int code, String reason, boolean remote) {
        }

        @Override
        public void onError(Exception ex) {
        }
    }
}
