package io.benchlink.agent.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.benchlink.agent.testing.ChildJvm;
import io.benchlink.agent.testing.CuttableProxy;
import io.benchlink.agent.testing.NativeForTests;
import io.benchlink.agent.testing.PtyPair;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4's end-to-end test with real processes: a gateway JVM, an agent JVM reading a socat pty fed by a paced
 * tester, a loopback proxy on the agent's link, and a subscriber that resumes with {@code since=}. While 5,000
 * results flow, the gateway is SIGKILLed and restarted twice, the agent's link is cut once, and the agent is
 * SIGKILLed (with thousands of results spooled) and restarted once. At the end every result must have reached the
 * subscriber and the store exactly once, in seq order; a failure names the lost and doubled serial numbers.
 *
 * <p>The tester pauses only around the agent's SIGKILL, and only until the agent has spooled the lines already
 * written: a line the tester wrote that the dying agent had read but not yet spooled is lost on a real rig too.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class DeliveryUnderFaultsIT {
    private static final int RESULTS = 5_000;
    private static final int PER_SECOND = 250;
    private static final String AGENT_ID = "rig-e2e";
    private static final String DEVICE_ID = "bench-e2e";
    private static final Pattern WS_PORT = Pattern.compile("gateway listening on ws://[^:]+:(\\d+)");
    private static final Pattern HTTP_PORT = Pattern.compile("HTTP API and dashboard on http://[^:]+:(\\d+)/");
    private static final Pattern PORT_OPEN = Pattern.compile(DEVICE_ID + " - .* open$");
    private static final Pattern TO_SEND = Pattern.compile("uplink - connected to .* (\\d+) statuses to send");
    /** C1 only: the children start in about half the time, and this test measures correctness, not speed. */
    private static final List<String> FAST_START = List.of("-XX:TieredStopAtLevel=1");
    private static final Duration START = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private final List<AutoCloseable> cleanup = new ArrayList<>();
    private ChildJvm gateway;
    private ChildJvm agent;
    private volatile int gatewayPort;
    private int httpPort;
    private int gatewayStarts;

    @AfterEach
    void stopEverything() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            cleanup.get(i).close();
        }
    }

    @Test
    void everyResultArrivesExactlyOnceThroughCrashesRestartsAndCuts() throws Exception {
        NativeForTests.load();
        PtyPair pty = closeLater(new PtyPair(Files.createDirectories(dir.resolve("pty"))).start());
        startGateway();
        CuttableProxy proxy = closeLater(new CuttableProxy(gatewayPort));
        ResumingSubscriber subscriber = closeLater(new ResumingSubscriber(() -> gatewayPort));
        startAgent(proxy);
        PacedTester tester = closeLater(new PacedTester(pty, PER_SECOND));
        tester.limit(RESULTS);
        tester.start();

        // Gateway crash 1: the agent keeps spooling while it is down, then resends from welcome.last_seq + 1.
        awaitWritten(tester, 800);
        gateway.kill();
        awaitWritten(tester, 1_100);
        int agentLines = agent.lines();
        startGateway();
        proxy.retarget(gatewayPort);

        // A network blip on the agent's link, mid-stream (once the agent is back: its backoff has grown by now).
        agent.await(TO_SEND, agentLines, Duration.ofSeconds(45));
        awaitWritten(tester, 2_000);
        assertThat(proxy.cut()).as("open proxy sockets at the cut").isPositive();

        // Gateway crash 2, and while it is down the agent dies too, with hundreds of results in its spool.
        awaitWritten(tester, 2_800);
        gateway.kill();
        tester.limit(3_400);
        awaitWritten(tester, 3_400);
        awaitSpooled(PacedTester.serial(3_400));
        agent.kill();
        startGateway();
        proxy.retarget(gatewayPort);
        startAgent(proxy);
        int pending = Integer.parseInt(agent.await(TO_SEND, 0, START));
        assertThat(pending).as("results the restarted agent found in its spool").isGreaterThanOrEqualTo(500);
        tester.limit(RESULTS);

        awaitWritten(tester, RESULTS);
        awaitEveryResult(subscriber);
        List<JsonObject> stored = storedEvents();

        List<JsonObject> received = subscriber.events();
        assertThat(subscriber.disorder()).as("subscriber seqs that did not rise").isEmpty();
        assertThat(Ledger.problems("subscriber", received, RESULTS)).isEmpty();
        assertThat(Ledger.problems("store", stored, RESULTS)).isEmpty();
        assertThat(seqs(received)).as("subscriber seqs = store seqs (nothing missed, nothing extra)")
                .isEqualTo(seqs(stored));
        assertThat(gatewayStarts).isEqualTo(3);
        assertThat(proxy.accepted()).as("agent links through the proxy: first, after each crash, after the cut")
                .isGreaterThanOrEqualTo(4);
        assertThat(subscriber.connections()).as("subscriber (re)connections").isGreaterThanOrEqualTo(3);
    }

    private void startGateway() throws Exception {
        gatewayStarts++;
        ChildJvm child = closeLater(ChildJvm.start("gateway-" + gatewayStarts, dir.resolve("gateway.log"), FAST_START,
                "io.benchlink.gateway.app.GatewayMain", List.of("--bind", "127.0.0.1", "--port", "0", "--http-port",
                        "0", "--data-dir", dir.resolve("gateway-data").toString(), "--offline-grace", "120")));
        httpPort = Integer.parseInt(child.await(HTTP_PORT, 0, START));
        gatewayPort = Integer.parseInt(child.await(WS_PORT, 0, START));
        gateway = child;
    }

    private void startAgent(CuttableProxy proxy) throws Exception {
        ChildJvm child = closeLater(ChildJvm.start("agent", dir.resolve("agent.log"), FAST_START,
                "io.benchlink.agent.cli.AgentMain",
                List.of("run", "--gateway", "ws://127.0.0.1:" + proxy.port() + "/ws/agents", "--agent-id", AGENT_ID,
                        "--device-id", DEVICE_ID, "--port", dir.resolve("pty").resolve("ttyA").toString(),
                        "--profile", "kv", "--spool-dir", dir.resolve("spool").toString(),
                        "--native-dir", NativeForTests.DIR.toString())));
        child.await(PORT_OPEN, 0, START);
        agent = child;
    }

    private static void awaitWritten(PacedTester tester, long n) {
        await("tester to write " + n).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
                .until(() -> tester.written() >= n);
    }

    /** Until the agent's own spool (read from this process, WAL readers do not block its writer) holds {@code sn}. */
    private void awaitSpooled(String serial) {
        String url = "jdbc:sqlite:" + dir.resolve("spool").resolve("spool.db");
        await("agent to spool " + serial).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .ignoreExceptions() // a read racing the agent's checkpoint may be busy; the next poll retries
                .failFast("agent exited: " + agent.tail(), () -> !agent.alive())
                .until(() -> {
                    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
                            ResultSet rows = s.executeQuery(
                                    "SELECT payload FROM status WHERE link = 0 ORDER BY seq DESC LIMIT 1")) {
                        return rows.next() && rows.getString(1).contains("\"" + serial + "\"");
                    }
                });
    }

    /** Waits for every serial number at the subscriber; on timeout the assertions that follow say what is missing. */
    private static void awaitEveryResult(ResumingSubscriber subscriber) {
        try {
            await("every result at the subscriber").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> Ledger.results(subscriber.events()).size() >= RESULTS);
        } catch (ConditionTimeoutException e) {
            // fall through: Ledger.problems lists the lost and doubled results, which a timeout would not
        }
    }

    /** Every stored event, paging the HTTP API (PROTOCOL.md §4) of the current gateway. */
    private List<JsonObject> storedEvents() throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        List<JsonObject> events = new ArrayList<>();
        long since = 0;
        while (true) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + httpPort + "/api/events?since=" + since + "&limit=10000")).timeout(Duration.ofSeconds(10))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonArray page = JsonParser.parseString(response.body()).getAsJsonArray();
            if (page.isEmpty()) {
                return events;
            }
            for (JsonElement element : page) {
                events.add(element.getAsJsonObject());
                since = element.getAsJsonObject().get("seq").getAsLong();
            }
        }
    }

    private static List<Long> seqs(List<JsonObject> events) {
        return events.stream().map(e -> e.get("seq").getAsLong()).toList();
    }

    private <T extends AutoCloseable> T closeLater(T resource) {
        cleanup.add(resource);
        return resource;
    }
}
