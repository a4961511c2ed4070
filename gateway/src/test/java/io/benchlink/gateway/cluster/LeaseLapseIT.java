package io.benchlink.gateway.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.benchlink.common.status.StatusKind;
import io.benchlink.gateway.testing.GatewayFixture;
import io.benchlink.gateway.testing.PostgresServer;
import io.benchlink.gateway.testing.Subscriber;
import io.benchlink.gateway.testing.TestAgent;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15 follow-up: a gateway's lease lapses while the database cannot be reached, longer than the lease plus the
 * grace period. Before, the first sweep after the outage took the devices of agents still connected to it offline
 * (and left them free for another agent), and nothing brought them back online until their next status.
 */
@Timeout(240)
class LeaseLapseIT {
    private static final Duration GRACE = Duration.ofSeconds(2);
    /** Longer than the lease plus the grace period: every lease has lapsed and every link looks dead. */
    private static final Duration OUTAGE = ClusterMember.LEASE.plus(GRACE).plusSeconds(4);

    @TempDir
    Path dir;
    PostgresServer server;
    String url;
    TcpProxy proxy;
    GatewayFixture a;
    GatewayFixture b;

    @BeforeEach
    void start() throws Exception {
        server = PostgresServer.start(false);
        url = server.createDatabase();
        proxy = new TcpProxy(server.port());
        String viaProxy = url.replace(":" + server.port() + "/", ":" + proxy.port() + "/");
        a = new GatewayFixture(dir.resolve("a"), c -> c.toBuilder().store(viaProxy).offlineGrace(GRACE).build())
                .start();
        b = new GatewayFixture(dir.resolve("b"), c -> c.toBuilder().store(url).offlineGrace(GRACE).build()).start();
    }

    @AfterEach
    void stop() throws Exception {
        if (b != null) {
            b.close();
        }
        if (a != null) {
            a.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private static List<String> events(Subscriber subscriber) {
        return subscriber.received().stream().map(o -> o.get("device_id").getAsString() + " "
                + o.get("status").getAsString() + " " + o.get("result").getAsString()).toList();
    }

    /** The agent's link row: "live", "lost", or "none". */
    private String link(String agentId) throws Exception {
        try (Connection c = DriverManager.getConnection(url);
             PreparedStatement st = c.prepareStatement("SELECT lost_at IS NULL FROM agent_links WHERE agent_id = ?")) {
            st.setString(1, agentId);
            try (ResultSet rs = st.executeQuery()) {
                return !rs.next() ? "none" : rs.getBoolean(1) ? "live" : "lost";
            }
        }
    }

    @Test
    void afterADatabaseOutageLongerThanTheLeaseNoConnectedAgentsDevicesGoOfflineButALostOnesDo() throws Exception {
        Subscriber all = Subscriber.connect(b.uri("/ws/devices/all"));
        TestAgent onA = TestAgent.hello(a.uri("/ws/agents"), "rig-a", null, List.of("dev-a"));
        TestAgent onB = TestAgent.hello(b.uri("/ws/agents"), "rig-b", null, List.of("dev-b"));
        TestAgent gone = TestAgent.hello(a.uri("/ws/agents"), "rig-gone", null, List.of("dev-gone"));
        onA.sendStatus(1, TestAgent.result("dev-a", StatusKind.SUCCESS, "before"));
        onB.sendStatus(1, TestAgent.result("dev-b", StatusKind.SUCCESS, "before"));
        gone.sendStatus(1, TestAgent.result("dev-gone", StatusKind.SUCCESS, "before"));
        await().atMost(Duration.ofSeconds(10)).until(() -> events(all).size() == 3);
        gone.closeBlocking();
        await().atMost(Duration.ofSeconds(10)).until(() -> link("rig-gone").equals("lost")
                && link("rig-a").equals("live") && link("rig-b").equals("live"));

        server.stop();
        // the outage itself: long enough for every lease and the grace period to run out
        await().pollDelay(OUTAGE).atMost(OUTAGE.plusSeconds(5)).until(() -> true);
        server.restart();

        // The lost agent's offline shows the sweeps ran after the outage; the ones still connected keep their devices.
        await().atMost(GRACE.plusSeconds(15)).until(() -> events(all).contains("dev-gone offline agent connection lost"));
        onA.sendStatus(2, TestAgent.result("dev-a", StatusKind.SUCCESS, "after"));
        onB.sendStatus(2, TestAgent.result("dev-b", StatusKind.SUCCESS, "after"));
        await().atMost(Duration.ofSeconds(20)).until(() -> events(all).containsAll(List.of("dev-a success after",
                "dev-b success after")));

        assertThat(events(all)).filteredOn(e -> !e.startsWith("dev-gone")).containsExactlyInAnyOrder(
                "dev-a success before", "dev-b success before", "dev-a success after", "dev-b success after");
        assertThat(link("rig-a")).isEqualTo("live");
        assertThat(link("rig-b")).isEqualTo("live");
        assertThat(all.seqs()).isSorted().doesNotHaveDuplicates();
        onA.close();
        onB.close();
        all.close();
    }

    @Test
    void aGatewayCutOffFromTheDatabasePastItsLeaseBringsItsStillConnectedAgentsDevicesBackOnlineOnceWhenBack()
            throws Exception {
        Subscriber all = Subscriber.connect(b.uri("/ws/devices/all"));
        TestAgent onA = TestAgent.hello(a.uri("/ws/agents"), "rig-a", null, List.of("dev-a"));
        onA.sendStatus(1, TestAgent.result("dev-a", StatusKind.SUCCESS, "before"));
        await().atMost(Duration.ofSeconds(10)).until(() -> events(all).size() == 1 && link("rig-a").equals("live"));

        proxy.cut();
        // For the cluster, gateway A is dead: its agent's results cannot reach the database, so B says offline.
        await().atMost(ClusterMember.LEASE.plus(GRACE).plusSeconds(20))
                .until(() -> events(all).contains("dev-a offline agent connection lost"));
        proxy.resume();

        await().atMost(GRACE.plusSeconds(15)).until(() -> events(all).contains("dev-a online agent connection restored"));
        assertThat(link("rig-a")).isEqualTo("live");
        onA.sendStatus(2, TestAgent.result("dev-a", StatusKind.SUCCESS, "after"));
        await().atMost(Duration.ofSeconds(20)).until(() -> events(all).contains("dev-a success after"));

        assertThat(events(all)).containsExactly("dev-a success before", "dev-a offline agent connection lost",
                "dev-a online agent connection restored", "dev-a success after");
        assertThat(onA.closedYet()).as("the agent stayed connected to A throughout").isFalse();
        onA.close();
        all.close();
    }

    /** A TCP relay to PostgreSQL that the test can cut (every connection reset, new ones refused) and resume. */
    static final class TcpProxy implements AutoCloseable {
        private final int target;
        private final int port;
        private final List<Socket> sockets = new CopyOnWriteArrayList<>();
        private volatile ServerSocket listener;

        TcpProxy(int target) throws IOException {
            this.target = target;
            this.listener = listen(0);
            this.port = listener.getLocalPort();
            accept(listener);
        }

        int port() {
            return port;
        }

        private static ServerSocket listen(int port) throws IOException {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return socket;
        }

        private void accept(ServerSocket on) {
            Thread thread = new Thread(() -> {
                while (!on.isClosed()) {
                    Socket client;
                    try {
                        client = on.accept();
                    } catch (IOException e) {
                        continue; // closed by cut() or close()
                    }
                    try {
                        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target);
                        sockets.add(client);
                        sockets.add(upstream);
                        pump(client, upstream);
                        pump(upstream, client);
                    } catch (IOException e) {
                        closeQuietly(client); // PostgreSQL refused: so is the client, at once
                    }
                }
            }, "test-proxy-accept");
            thread.setDaemon(true);
            thread.start();
        }

        private void pump(Socket from, Socket to) {
            Thread thread = new Thread(() -> {
                try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                    in.transferTo(out);
                } catch (IOException e) {
                    // either side closed
                } finally {
                    closeQuietly(from);
                    closeQuietly(to);
                }
            }, "test-proxy-pump");
            thread.setDaemon(true);
            thread.start();
        }

        void cut() {
            closeQuietly(listener);
            sockets.forEach(TcpProxy::closeQuietly);
            sockets.clear();
        }

        void resume() throws IOException {
            listener = listen(port);
            accept(listener);
        }

        @Override
        public void close() {
            cut();
        }

        private static void closeQuietly(AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                // already closed
            }
        }
    }
}
