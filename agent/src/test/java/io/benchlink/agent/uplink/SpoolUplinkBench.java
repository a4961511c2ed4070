package io.benchlink.agent.uplink;

import io.benchlink.agent.spool.Spool;
import io.benchlink.agent.spool.SpoolConfig;
import io.benchlink.agent.spool.TestStatuses;
import io.benchlink.common.time.WallClock;
import ch.qos.logback.classic.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Benchmark, not a test (see docs/PERFORMANCE-spool.md for the command): spool append throughput with group commit
 * for 1 and 8 concurrent writers, and the time to drain 10,000 spooled results through the uplink into a fake gateway
 * on loopback. Everything runs on real files in a temp directory and real sockets; it stops by itself.
 */
public final class SpoolUplinkBench {
    private SpoolUplinkBench() {
    }

    public static void main(String[] args) throws Exception {
        int appends = args.length > 0 ? Integer.parseInt(args[0]) : 4000;
        int drain = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        // No logback.xml on the test classpath means DEBUG for everything; per-frame library logs would be measured.
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).setLevel(Level.INFO);
        Path root = Files.createTempDirectory("spool-bench");
        System.out.printf(Locale.ROOT, "spool dir %s, %d cores%n", root, Runtime.getRuntime().availableProcessors());
        int[] windows = args.length > 2 ? Arrays.stream(args[2].split(",")).mapToInt(Integer::parseInt).toArray()
                : new int[] {256, 16, 1};
        System.out.println("warm-up drain (JIT), not a figure:");
        drainRun(root.resolve("drain-warmup"), 3000, 64);
        if (appends == 0) { // drain runs only
            for (int window : windows) {
                drainRun(root.resolve("drain-" + window), drain, window);
            }
            return;
        }
        appendRun(root.resolve("warmup"), 1, 500);
        for (int writers : new int[] {1, 8}) {
            appendRun(root.resolve("append-" + writers), writers, appends);
        }
        for (int window : windows) {
            drainRun(root.resolve("drain-" + window), drain, window);
        }
    }

    private static void appendRun(Path dir, int writers, int total) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try (Spool spool = Spool.open(SpoolConfig.defaults(dir))) {
            long commitsBefore = spool.commits();
            int perWriter = total / writers;
            List<Future<long[]>> futures = new ArrayList<>();
            long start = System.nanoTime();
            for (int w = 0; w < writers; w++) {
                String device = "bench-" + w;
                futures.add(pool.submit(() -> {
                    long[] latencies = new long[perWriter];
                    for (int i = 0; i < perWriter; i++) {
                        long t = System.nanoTime();
                        spool.append(TestStatuses.result(device, i));
                        latencies[i] = System.nanoTime() - t;
                    }
                    return latencies;
                }));
            }
            long[] all = new long[perWriter * writers];
            int n = 0;
            for (Future<long[]> f : futures) {
                long[] part = f.get();
                System.arraycopy(part, 0, all, n, part.length);
                n += part.length;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long commits = spool.commits() - commitsBefore;
            Arrays.sort(all);
            System.out.printf(Locale.ROOT, "append writers=%d n=%d: %.0f appends/s, %d commits (%.1f appends/commit),"
                            + " latency p50 %.2f ms p99 %.2f ms%n", writers, all.length, all.length / seconds, commits,
                    (double) all.length / commits, all[all.length / 2] / 1e6, all[(int) (all.length * 0.99)] / 1e6);
        } finally {
            pool.shutdownNow();
        }
    }

    private static void drainRun(Path dir, int count, int window) throws Exception {
        FakeGateway gateway = new FakeGateway("t").startAndWait();
        try (Spool spool = Spool.open(SpoolConfig.defaults(dir))) {
            long fillStart = System.nanoTime();
            fill(spool, count);
            double fillSeconds = (System.nanoTime() - fillStart) / 1e9;
            UplinkConfig config = new UplinkConfig(List.of(gateway.url()), "rig-bench", "t", List.of("bench-0"),
                    window, Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofMillis(500),
                    Duration.ofSeconds(30));
            try (Uplink uplink = new Uplink(config, spool, WallClock.system())) {
                long start = System.nanoTime();
                uplink.start();
                long deadline = start + Duration.ofMinutes(2).toNanos();
                long allSent = 0;
                long allStored = 0;
                while ((spool.depth() > 0 || gateway.storedCount() < count) && System.nanoTime() < deadline) {
                    Thread.sleep(2); // a benchmark's completion poll, not test synchronisation
                    if (allSent == 0 && uplink.sent() >= count) {
                        allSent = System.nanoTime() - start;
                    }
                    if (allStored == 0 && gateway.storedCount() >= count) {
                        allStored = System.nanoTime() - start;
                    }
                }
                System.out.printf(Locale.ROOT, "  all sent after %.2f s, all stored at the gateway after %.2f s%n",
                        allSent / 1e9, allStored / 1e9);
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf(Locale.ROOT, "drain window=%d n=%d: filled in %.2f s; drained in %.2f s"
                                + " (%.0f statuses/s), gateway stored %d, spool depth %d, sent %d%n", window, count,
                        fillSeconds, seconds, count / seconds, gateway.storedCount(), spool.depth(),
                        uplink.sent());
            }
        } finally {
            gateway.stop(2_000);
        }
    }

    /** Fills from 8 threads so group commit keeps the setup short. */
    private static void fill(Spool spool, int count) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < 8; w++) {
                int writer = w;
                futures.add(pool.submit(() -> {
                    for (int i = writer; i < count; i += 8) {
                        spool.append(TestStatuses.result("bench-0", i));
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
