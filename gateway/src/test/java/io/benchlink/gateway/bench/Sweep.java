package io.benchlink.gateway.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The retention sweep under load, seen from outside: AGENTS agents send RATE statuses/s each while the gateway
 * deletes expired events; each ack's time and latency is logged, and {@code /metrics} is polled for
 * {@code benchlink_store_oldest_seq} to see when the sweep has passed EXPIRED_UP_TO. The longest gap between two
 * consecutive acks (any agent) bounds the longest writer pause from above.
 */
final class Sweep {
    private static final int CAPACITY = 4_000_000;
    private final long[] at = new long[CAPACITY];
    private final long[] latency = new long[CAPACITY];
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicLong sweepEnd = new AtomicLong(-1);

    private Sweep() {
    }

    static void run(int wsPort, int httpPort, int agents, int rate, int seconds, long expiredUpTo) throws Exception {
        new Sweep().measure(wsPort, httpPort, agents, rate, seconds, expiredUpTo);
    }

    private void measure(int wsPort, int httpPort, int agents, int rate, int seconds, long expiredUpTo)
            throws Exception {
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        Thread poller = new Thread(() -> poll(httpPort, expiredUpTo, end), "bench-sweep-poll");
        poller.setDaemon(true);
        poller.start();
        List<LeanAgent> list = new ArrayList<>();
        for (int a = 0; a < agents; a++) {
            // Fresh agent ids and devices of their own, so the agents' marks start at 0 and nothing is a repeat.
            list.add(LeanAgent.connect(wsPort, "sweep-" + a + "-" + System.currentTimeMillis(), 60_000 + a * 8, 8,
                    this::record).startReading(1 << 16));
        }
        long connected = System.nanoTime();
        List<Thread> senders = new ArrayList<>();
        for (LeanAgent agent : list) {
            Thread t = new Thread(() -> {
                try {
                    agent.sendPaced(rate, end);
                } catch (java.io.IOException e) {
                    System.err.println(agent.agentId + ": " + e.getMessage());
                }
            }, "bench-sweep-" + agent.agentId);
            t.start();
            senders.add(t);
        }
        for (Thread t : senders) {
            t.join();
        }
        Thread.sleep(1000); // the last acks
        list.forEach(LeanAgent::close);
        int n = Math.min(next.get(), CAPACITY);
        long swept = sweepEnd.get();
        System.out.printf(Locale.ROOT, "sweep: %d agents x %d/s for %d s, %,d acks; agents connected %.2f s after"
                + " start; sweep past seq %d %s%n", agents, rate, seconds, n, (connected - start) / 1e9, expiredUpTo,
                swept < 0 ? "NOT SEEN within the run" : String.format(Locale.ROOT, "at %.2f s", (swept - start) / 1e9));
        long firstAck = n == 0 ? end : Arrays.stream(at, 0, n).min().orElse(end);
        if (swept >= 0 && swept > firstAck) {
            report("during the sweep", n, firstAck, swept);
            report("after the sweep ", n, swept + TimeUnit.SECONDS.toNanos(2), end);
        } else {
            System.out.println("  the sweep was over before the first ack (or not seen): no 'during' window");
            report("whole run       ", n, firstAck, end);
        }
    }

    private void record(long when, long nanos) {
        int i = next.getAndIncrement();
        if (i < CAPACITY) {
            at[i] = when;
            latency[i] = nanos;
        }
    }

    private void report(String name, int n, long from, long to) {
        long[] lat = new long[n];
        long[] times = new long[n];
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (at[i] >= from && at[i] < to) {
                lat[k] = latency[i];
                times[k] = at[i];
                k++;
            }
        }
        lat = Arrays.copyOf(lat, k);
        times = Arrays.copyOf(times, k);
        Arrays.sort(lat);
        Arrays.sort(times);
        long gap = 0;
        for (int i = 1; i < k; i++) {
            gap = Math.max(gap, times[i] - times[i - 1]);
        }
        System.out.printf(Locale.ROOT, "  %s %.1f s: %,d acks, ack ms p50 %.2f p99 %.2f max %.1f; longest gap between"
                + " acks %.1f ms%n", name, (to - from) / 1e9, k, StoreBench.pct(lat, 50), StoreBench.pct(lat, 99),
                StoreBench.pct(lat, 100), gap / 1e6);
    }

    private void poll(int httpPort, long expiredUpTo, long end) {
        while (System.nanoTime() < end && sweepEnd.get() < 0) {
            try {
                byte[] body = StoreBench.Http.get(httpPort, "/metrics", 0).body;
                String text = new String(body, StandardCharsets.UTF_8);
                for (String line : text.split("\n")) {
                    if (line.startsWith("benchlink_store_oldest_seq ")) {
                        double oldest = Double.parseDouble(line.substring(line.indexOf(' ') + 1).trim());
                        if (oldest > expiredUpTo) {
                            sweepEnd.set(System.nanoTime());
                        }
                    }
                }
                Thread.sleep(100);
            } catch (Exception e) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }
}
