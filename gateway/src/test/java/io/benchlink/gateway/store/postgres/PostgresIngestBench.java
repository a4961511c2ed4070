package io.benchlink.gateway.store.postgres;

import io.benchlink.common.status.DeviceStatus;
import io.benchlink.common.status.StatusKind;
import io.benchlink.common.time.WallClock;
import io.benchlink.gateway.store.EventStore;
import io.benchlink.gateway.store.StoreWriter;
import io.benchlink.gateway.store.WriteCommand;
import io.benchlink.gateway.store.sqlite.SqliteEventStore;
import io.benchlink.gateway.testing.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;

/**
 * Durable acked ingest at the store boundary: agents (threads) submit statuses to real {@link StoreWriter}s and
 * count acks (each given only after its batch committed, fsync on). PostgreSQL: two writers ("gateways") on one
 * database, agents spread over them; SQLite: one writer, the same agents. Sockets are not in the path: this is the
 * store's ceiling, not a full gateway's.
 *
 * <p>Run: {@code ./mvnw -q -pl gateway -am package -DskipTests && java -cp
 * gateway/target/test-classes:gateway/target/benchlink-gateway.jar
 * io.benchlink.gateway.store.postgres.PostgresIngestBench [statusesPerAgent] [agents]} (the shaded jar holds every
 * dependency it needs). Figures: docs/PERFORMANCE.md "Cluster on PostgreSQL"; the whole path, agents to subscribers
 * over sockets, is measured by scripts/bench-cluster.sh.
 */
public final class PostgresIngestBench {
    private static final int WINDOW = 1_000; // unacked statuses an agent keeps in flight

    private PostgresIngestBench() {
    }

    public static void main(String[] args) throws Exception {
        int perAgent = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int agents = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        WallClock clock = WallClock.of(ZoneId.of("Europe/Moscow"));
        try (PostgresServer server = PostgresServer.start(true)) {
            String url = server.createDatabase();
            try (PostgresEventStore a = PostgresEventStore.open(PostgresLocation.of(url, Map.of()));
                 PostgresEventStore b = PostgresEventStore.open(PostgresLocation.of(url, Map.of()))) {
                report("postgresql, 2 writers", run(List.of(a, b), clock, perAgent, agents), perAgent * agents);
            }
        }
        Path dir = Files.createTempDirectory("benchlink-sqlite-bench");
        try (SqliteEventStore sqlite = SqliteEventStore.open(dir)) {
            report("sqlite, 1 writer", run(List.of(sqlite), clock, perAgent, agents), perAgent * agents);
        }
    }

    private static void report(String what, long nanos, int statuses) {
        double seconds = nanos / 1e9;
        System.out.printf("%-24s %,d statuses in %.2f s: %,.0f acked statuses/s, %.1f us per status%n", what,
                statuses, seconds, statuses / seconds, nanos / 1e3 / statuses);
    }

    private static long run(List<? extends EventStore> stores, WallClock clock, int perAgent, int agents)
            throws Exception {
        List<StoreWriter> writers = new ArrayList<>();
        for (EventStore store : stores) {
            StoreWriter writer = new StoreWriter(store, clock, Duration.ofDays(30), 1_000, events -> { });
            writer.start();
            writers.add(writer);
        }
        List<Thread> threads = new ArrayList<>();
        long started = System.nanoTime();
        for (int i = 0; i < agents; i++) {
            StoreWriter writer = writers.get(i % writers.size());
            String agent = "rig-" + System.nanoTime() + "-" + i;
            Thread t = new Thread(() -> agent(writer, agent, perAgent), "bench-" + agent);
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        long elapsed = System.nanoTime() - started;
        writers.forEach(StoreWriter::close);
        return elapsed;
    }

    private static void agent(StoreWriter writer, String agent, int count) {
        Semaphore window = new Semaphore(WINDOW);
        WriteCommand.Receipt receipt = new WriteCommand.Receipt() {
            @Override
            public void stored(long agentSeq) {
                window.release();
            }

            @Override
            public void failed(long agentSeq, String reason) {
                throw new IllegalStateException("status " + agentSeq + " failed: " + reason);
            }
        };
        for (int seq = 1; seq <= count; seq++) {
            window.acquireUninterruptibly();
            DeviceStatus status = new DeviceStatus("AA:BB:CC:DD:EE:01", "SN-" + seq, StatusKind.SUCCESS, null, null,
                    LocalDateTime.now(), "all checks passed", agent.substring(0, Math.min(agent.length(), 60)), 0);
            while (!writer.submit(new WriteCommand.AgentStatus(agent, seq, status, receipt))) {
                Thread.onSpinWait();
            }
        }
        window.acquireUninterruptibly(WINDOW); // every status acked
    }
}
