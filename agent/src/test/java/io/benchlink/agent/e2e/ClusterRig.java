package io.benchlink.agent.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.benchlink.agent.testing.ChildJvm;
import io.benchlink.agent.testing.NativeForTests;
import io.benchlink.gateway.testing.PostgresServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import java.util.regex.Pattern;

/**
 * Real processes for issue 15's cluster tests: one PostgreSQL of its own (so it may be restarted), gateway JVMs
 * running the real {@code gateway --store jdbc:postgresql://...} command, and agent JVMs on socat ptys that list
 * several gateways. A gateway binds port 0 at its first start and its restart takes the same WebSocket port again
 * (the gateway sets SO_REUSEADDR), so the agents' gateway lists stay right. Every child logs to its own file in
 * {@code dir}; {@link #close()} SIGKILLs what is left and removes the database.
 *
 * <p>Used by one test thread.
 */
final class ClusterRig implements AutoCloseable {
    private static final Pattern WS_PORT = Pattern.compile("gateway listening on ws://[^:]+:(\\d+)");
    private static final Pattern HTTP_PORT = Pattern.compile("HTTP API and dashboard on http://[^:]+:(\\d+)/");
    /** C1 only: the children start in about half the time; these runs measure correctness and failover. */
    private static final List<String> FAST_START = List.of("-XX:TieredStopAtLevel=1");
    static final Duration START = Duration.ofSeconds(60);

    private final Path dir;
    private final Duration grace;
    private final PostgresServer postgres;
    private final String store;
    private final List<AutoCloseable> children = new ArrayList<>();

    /** Starts PostgreSQL (own server, fsync off: a killed server still keeps its commits) and creates the database. */
    ClusterRig(Path dir, Duration grace) {
        this.dir = dir;
        this.grace = grace;
        this.postgres = PostgresServer.start(false);
        this.store = postgres.createDatabase();
    }

    PostgresServer postgres() {
        return postgres;
    }

    String store() {
        return store;
    }

    /** A gateway of this cluster, not started yet. */
    Node gateway(String name) {
        return new Node(name);
    }

    /** Starts {@code agent run} for one device on {@code tty}, listing the gateways on {@code ports} in that order. */
    ChildJvm startAgent(String agentId, String deviceId, Path tty, List<Integer> ports) throws Exception {
        List<String> args = new ArrayList<>(List.of("run", "--agent-id", agentId, "--device-id", deviceId,
                "--port", tty.toString(), "--profile", "kv", "--spool-dir", dir.resolve("spool-" + agentId).toString(),
                "--native-dir", NativeForTests.DIR.toString()));
        for (int port : ports) {
            args.addAll(List.of("--gateway", "ws://127.0.0.1:" + port + "/ws/agents"));
        }
        ChildJvm agent = ChildJvm.start(agentId, dir.resolve(agentId + ".log"), FAST_START,
                "io.benchlink.agent.cli.AgentMain", args);
        children.add(agent);
        return agent;
    }

    /**
     * Pattern of the agent's line when the gateway on {@code port} has welcomed it (PROTOCOL.md §3); group 1 is how
     * many statuses it has to send.
     */
    static Pattern welcomedAt(int port) {
        return Pattern.compile("uplink - connected to ws://127\\.0\\.0\\.1:" + port
                + "/.* gateway holds up to seq \\d+, (\\d+) statuses to send");
    }

    /** Pattern of the agent's line when its tester port is open. */
    static Pattern portOpen(String deviceId) {
        return Pattern.compile(deviceId + " - .* open$");
    }

    /**
     * Ports for a 1C-like subscriber that lists two gateways: each (re)connection attempt takes the next one,
     * starting with {@code home}, so a subscriber whose gateway died resumes on the other.
     */
    static IntSupplier alternating(Node home, Node other) {
        AtomicInteger attempts = new AtomicInteger();
        return () -> (attempts.getAndIncrement() % 2 == 0 ? home : other).wsPort();
    }

    /** Every stored event, paging the HTTP API (PROTOCOL.md §4) of {@code gateway}. */
    static List<JsonObject> storedEvents(Node gateway) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        List<JsonObject> events = new ArrayList<>();
        long since = 0;
        while (true) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + gateway.httpPort() + "/api/events?since=" + since + "&limit=10000"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
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

    @Override
    public void close() throws Exception {
        for (int i = children.size() - 1; i >= 0; i--) {
            children.get(i).close();
        }
        postgres.close();
    }

    /** One gateway JVM of the cluster: started, SIGKILLed and restarted on the same WebSocket port. */
    final class Node {
        private final String name;
        private volatile int wsPort;
        private volatile int httpPort;
        private ChildJvm process;

        private Node(String name) {
            this.name = name;
        }

        /** Launches the JVM (port 0 the first time, its old port after that); {@link #awaitListening} waits. */
        Node launch() throws Exception {
            process = ChildJvm.start("gateway-" + name, dir.resolve("gateway-" + name + ".log"), FAST_START,
                    "io.benchlink.gateway.app.GatewayMain", List.of("--bind", "127.0.0.1", "--port",
                            Integer.toString(wsPort), "--http-port", "0", "--data-dir",
                            dir.resolve("data-" + name).toString(), "--store", store, "--offline-grace",
                            Long.toString(grace.toSeconds())));
            children.add(process);
            return this;
        }

        Node awaitListening() {
            int from = 0;
            httpPort = Integer.parseInt(process.await(HTTP_PORT, from, START));
            int port = Integer.parseInt(process.await(WS_PORT, from, START));
            if (wsPort != 0 && port != wsPort) {
                throw new IllegalStateException("gateway " + name + " came back on " + port + ", not " + wsPort);
            }
            wsPort = port;
            return this;
        }

        /** SIGKILL: no shutdown hook, no goodbye, its lease simply stops being renewed. */
        void kill() throws InterruptedException {
            process.kill();
        }

        String name() {
            return name;
        }

        int wsPort() {
            return wsPort;
        }

        int httpPort() {
            return httpPort;
        }

        ChildJvm process() {
            return process;
        }
    }
}
