package io.benchlink.gateway.bench;

import io.benchlink.common.status.StatusKind;
import io.benchlink.gateway.testing.Subscriber;
import io.benchlink.gateway.testing.TestAgent;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * Soak client for scripts/soak-gateway.sh (issue 7): against a plain and a TLS gateway, CLIENTS subscribers each
 * connect, wait for one live status, close and reconnect, again and again, while one agent per gateway sends a
 * status every 50 ms. Catches wss connections that hang after reconnects (Java-WebSocket #719/#1086): every connect,
 * first-status wait and close is bounded and counted. Loopback only; stops after SECONDS.
 *
 * <p>Usage: {@code SoakTool WS_BASE WSS_BASE CA_PEM SECONDS CLIENTS}
 */
public final class SoakTool {
    private static final long CONNECT_MS = 5_000;
    private static final long FIRST_STATUS_MS = 3_000;
    private static final long CLOSE_MS = 3_000;

    /** Counters of one kind of client (plain or TLS); written by its client threads. */
    private static final class Tally {
        final String name;
        final AtomicLong cycles = new AtomicLong();
        final AtomicLong connectFailed = new AtomicLong();
        final AtomicLong noData = new AtomicLong();
        final AtomicLong closeHung = new AtomicLong();
        final List<Long> connectMillis = Collections.synchronizedList(new ArrayList<>());

        Tally(String name) {
            this.name = name;
        }

        String summary() {
            List<Long> sorted = new ArrayList<>(connectMillis);
            Collections.sort(sorted);
            long p50 = sorted.isEmpty() ? -1 : sorted.get(sorted.size() / 2);
            long p99 = sorted.isEmpty() ? -1 : sorted.get(Math.min(sorted.size() - 1, sorted.size() * 99 / 100));
            long max = sorted.isEmpty() ? -1 : sorted.get(sorted.size() - 1);
            return String.format("SOAK %s: %d connect/receive/close cycles, %d connects failed, %d got no status within"
                    + " %d ms, %d closes hung > %d ms; connect ms p50 %d p99 %d max %d", name, cycles.get(),
                    connectFailed.get(), noData.get(), FIRST_STATUS_MS, closeHung.get(), CLOSE_MS, p50, p99, max);
        }
    }

    private SoakTool() {
    }

    public static void main(String[] args) throws Exception {
        URI ws = URI.create(args[0]);
        URI wss = URI.create(args[1]);
        SSLSocketFactory trust = trusting(Path.of(args[2]));
        long endNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.parseLong(args[3]));
        int clients = Integer.parseInt(args[4]);

        TestAgent plainAgent = agent(ws, null);
        TestAgent tlsAgent = agent(wss, trust);
        Thread feeder = new Thread(() -> feed(List.of(plainAgent, tlsAgent), endNanos), "soak-feeder");
        feeder.start();
        Tally plain = new Tally("ws");
        Tally tls = new Tally("wss");
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            threads.add(new Thread(() -> cycle(ws, null, plain, endNanos), "soak-ws-" + i));
            threads.add(new Thread(() -> cycle(wss, trust, tls, endNanos), "soak-wss-" + i));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        feeder.join();
        System.out.println(plain.summary());
        System.out.println(tls.summary());
        plainAgent.close();
        tlsAgent.close();
        System.exit(plain.connectFailed.get() + plain.noData.get() + plain.closeHung.get() + tls.connectFailed.get()
                + tls.noData.get() + tls.closeHung.get() == 0 ? 0 : 1);
    }

    private static void cycle(URI base, SSLSocketFactory trust, Tally tally, long endNanos) {
        while (System.nanoTime() < endNanos) {
            try {
                Subscriber s = new Subscriber(base.resolve("/ws/devices/soak"));
                if (trust != null) {
                    s.setSocketFactory(trust);
                }
                long start = System.nanoTime();
                if (!s.connectBlocking(CONNECT_MS, TimeUnit.MILLISECONDS)) {
                    tally.connectFailed.incrementAndGet();
                    s.closeConnection(1000, "soak");
                    continue;
                }
                tally.connectMillis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
                if (!within(FIRST_STATUS_MS, () -> s.count() > 0)) {
                    tally.noData.incrementAndGet();
                    diagnose(tally, s);
                }
                s.close();
                if (!within(CLOSE_MS, s::isClosedYet)) {
                    tally.closeHung.incrementAndGet();
                    s.closeConnection(1006, "soak: close hung");
                }
                tally.cycles.incrementAndGet();
            } catch (Exception e) {
                tally.connectFailed.incrementAndGet();
            }
        }
    }

    /** Says what became of a connection that got no status in time: late, closed (and how), or silent. */
    private static void diagnose(Tally tally, Subscriber s) throws Exception {
        boolean late = within(5_000, () -> s.count() > 0);
        String closed = s.isClosedYet() ? "closed " + s.awaitClosed(java.time.Duration.ofSeconds(1)) : "still open";
        System.out.printf("SOAK %s: a connection got no status within %d ms: %s, %s%n", tally.name, FIRST_STATUS_MS,
                late ? "its first status came within 5 s more" : "nothing within 5 s more", closed);
    }

    /** Polls a condition every 5 ms up to a bound (a load tool pacing itself, not a test synchronising). */
    private static boolean within(long millis, java.util.function.BooleanSupplier condition) {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() < until) {
            if (condition.getAsBoolean()) {
                return true;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        return condition.getAsBoolean();
    }

    private static void feed(List<TestAgent> agents, long endNanos) {
        long seq = 0;
        while (System.nanoTime() < endNanos + TimeUnit.SECONDS.toNanos(1)) {
            seq++;
            for (TestAgent agent : agents) {
                if (agent.isOpen()) {
                    agent.sendStatus(seq, TestAgent.result("soak", StatusKind.SUCCESS, "soak " + seq));
                }
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
    }

    private static TestAgent agent(URI base, SSLSocketFactory trust) throws Exception {
        TestAgent agent = new TestAgent(base.resolve("/ws/agents"));
        if (trust != null) {
            agent.setSocketFactory(trust);
        }
        if (!agent.connectBlocking(CONNECT_MS, TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("soak agent could not connect to " + base);
        }
        agent.send("{\"type\":\"hello\",\"agent_id\":\"soak-" + (trust == null ? "ws" : "wss")
                + "\",\"devices\":[\"soak\"]}");
        agent.lastSeq();
        return agent;
    }

    private static SSLSocketFactory trusting(Path pem) throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        try (InputStream in = Files.newInputStream(pem)) {
            int i = 0;
            for (Certificate cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("ca-" + i++, cert);
            }
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context.getSocketFactory();
    }
}
