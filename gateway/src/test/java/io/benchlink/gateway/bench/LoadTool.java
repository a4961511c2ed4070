package io.benchlink.gateway.bench;

import io.benchlink.common.protocol.Ack;
import io.benchlink.common.protocol.AgentFrame;
import io.benchlink.common.protocol.AgentFrameCodec;
import io.benchlink.common.protocol.FrameException;
import io.benchlink.common.protocol.Hello;
import io.benchlink.common.protocol.StatusFrame;
import io.benchlink.common.protocol.Welcome;
import io.benchlink.common.status.DeviceStatus;
import io.benchlink.common.status.StatusKind;
import io.benchlink.common.time.WallClock;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;

/**
 * The project's own load tool against a running gateway (see scripts/bench-gateway.sh). Loopback only, bounded
 * in count and time. Scenarios:
 * <ul>
 *   <li>{@code fanout URL SUBS DEVICES RATE SECONDS}: SUBS subscribers on /all, one agent sending RATE statuses/s;
 *   latency is agent send to subscriber receipt (same JVM, same monotonic clock).</li>
 *   <li>{@code ingest URL AGENTS SECONDS WINDOW}: agents send as fast as acks allow (WINDOW in flight each).</li>
 *   <li>{@code idle URL COUNT HOLD_SECONDS}: COUNT raw subscriber sockets that complete the handshake and idle.</li>
 *   <li>{@code cluster URLS ...}: agents spread over several gateways, cross-gateway delivery ({@link ClusterLoad}).</li>
 * </ul>
 */
public final class LoadTool {
    private static final WallClock CLOCK = WallClock.system();
    private static final AgentFrameCodec CODEC = new AgentFrameCodec(CLOCK);

    private LoadTool() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: fanout URL SUBS DEVICES RATE SECONDS | ingest URL AGENTS SECONDS WINDOW"
                    + " | idle URL COUNT HOLD_SECONDS | cluster URLS AGENTS SECONDS WINDOW ROUNDS PACED_RATE"
                    + " [GATEWAY_PIDS [DB_PID]]");
            System.exit(2);
        }
        switch (args[0]) {
            case "fanout" -> fanout(URI.create(args[1]), i(args[2]), i(args[3]), i(args[4]), i(args[5]));
            case "ingest" -> ingest(URI.create(args[1]), i(args[2]), i(args[3]), i(args[4]));
            case "idle" -> idle(URI.create(args[1]), i(args[2]), i(args[3]));
            case "cluster" -> ClusterLoad.run(Arrays.copyOfRange(args, 1, args.length));
            default -> {
                System.err.println("unknown scenario " + args[0]);
                System.exit(2);
            }
        }
        System.exit(0);
    }

    private static int i(String text) {
        return Integer.parseInt(text);
    }

    static void fanout(URI base, int subs, int devices, int rate, int seconds) throws Exception {
        long expectedPerSub = (long) rate * seconds;
        List<LatencySubscriber> subscribers = new ArrayList<>();
        for (int k = 0; k < subs; k++) {
            LatencySubscriber s = new LatencySubscriber(base.resolve("/ws/devices/all"), (int) expectedPerSub + 16);
            if (!s.connectBlocking(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("subscriber " + k + " could not connect");
            }
            subscribers.add(s);
        }
        BenchAgent agent = BenchAgent.connect(base, "bench-fanout-" + System.nanoTime(), devices, 1 << 20);
        // Warm-up (not counted): one second at the same rate, so the JIT has compiled the hot path.
        agent.sendPaced(rate, 1, devices, false);
        for (LatencySubscriber s : subscribers) {
            s.reset();
        }
        long start = System.nanoTime();
        agent.sendPaced(rate, seconds, devices, true);
        long sendEnd = System.nanoTime();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline && subscribers.stream().anyMatch(s -> s.count() < expectedPerSub)) {
            Thread.sleep(50);
        }
        long delivered = subscribers.stream().mapToLong(LatencySubscriber::count).sum();
        long[] all = merge(subscribers);
        System.out.printf(Locale.ROOT, "fanout subs=%d devices=%d rate=%d/s seconds=%d%n", subs, devices, rate, seconds);
        System.out.printf(Locale.ROOT, "  delivered %d / expected %d (%.4f)%n", delivered, expectedPerSub * subs,
                (double) delivered / (expectedPerSub * subs));
        System.out.printf(Locale.ROOT, "  deliveries/s %.0f (send phase %.2f s)%n",
                delivered / ((sendEnd - start) / 1e9), (sendEnd - start) / 1e9);
        System.out.printf(Locale.ROOT, "  latency ms p50 %.2f  p99 %.2f  p99.9 %.2f  max %.2f%n", pct(all, 50),
                pct(all, 99), pct(all, 99.9), pct(all, 100));
        System.out.printf(Locale.ROOT, "  subscribers closed early: %d%n",
                subscribers.stream().filter(s -> !s.isOpen()).count());
        agent.close();
        subscribers.forEach(WebSocketClient::close);
    }

    static void ingest(URI base, int agents, int seconds, int window) throws Exception {
        List<BenchAgent> list = new ArrayList<>();
        for (int a = 0; a < agents; a++) {
            list.add(BenchAgent.connect(base, "bench-ingest-" + a + "-" + System.nanoTime(), 8, window));
        }
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        for (BenchAgent agent : list) {
            Thread t = new Thread(() -> agent.sendUntil(end, 8));
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        long elapsed = System.nanoTime() - start;
        long acked = list.stream().mapToLong(a -> a.acked.get()).sum();
        long[] ackLatency = merge(list);
        System.out.printf(Locale.ROOT, "ingest agents=%d window=%d seconds=%d%n", agents, window, seconds);
        System.out.printf(Locale.ROOT, "  acknowledged %d  (%.0f statuses/s)%n", acked, acked / (elapsed / 1e9));
        System.out.printf(Locale.ROOT, "  ack latency ms p50 %.2f  p99 %.2f%n", pct(ackLatency, 50), pct(ackLatency, 99));
        list.forEach(WebSocketClient::close);
    }

    static void idle(URI base, int count, int holdSeconds) throws Exception {
        List<SocketChannel> sockets = new ArrayList<>(count);
        String request = "GET /ws/devices/all HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
        ByteBuffer answer = ByteBuffer.allocate(1024);
        int accepted = 0;
        for (int k = 0; k < count; k++) {
            SocketChannel channel = SocketChannel.open(new InetSocketAddress(base.getHost(), base.getPort()));
            channel.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII)));
            answer.clear();
            channel.read(answer);
            if (new String(answer.array(), 0, answer.position(), StandardCharsets.US_ASCII).startsWith("HTTP/1.1 101")) {
                accepted++;
            }
            sockets.add(channel);
        }
        System.out.printf(Locale.ROOT, "idle subscribers connected: %d of %d; holding %d s%n", accepted, count,
                holdSeconds);
        System.out.println("READY");
        System.out.flush();
        Thread.sleep(TimeUnit.SECONDS.toMillis(holdSeconds));
        for (SocketChannel channel : sockets) {
            channel.close();
        }
    }

    private static long[] merge(List<? extends LatencySource> sources) {
        return sources.stream().flatMapToLong(s -> Arrays.stream(s.latencies())).sorted().toArray();
    }

    private static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.min(sorted.length - 1, Math.ceil(p / 100.0 * sorted.length) - 1);
        return sorted[Math.max(0, index)] / 1e6;
    }

    interface LatencySource {
        long[] latencies();
    }

    /** A subscriber that records send-to-receipt latency from the {@code t=} nanos in each result. */
    static final class LatencySubscriber extends WebSocketClient implements LatencySource {
        private long[] samples;
        private int n;

        LatencySubscriber(URI uri, int capacity) {
            super(uri);
            this.samples = new long[capacity];
            setTcpNoDelay(true);
        }

        synchronized void reset() {
            n = 0;
        }

        synchronized long count() {
            return n;
        }

        @Override
        public synchronized long[] latencies() {
            return Arrays.copyOf(samples, n);
        }

        @Override
        public void onMessage(String message) {
            long now = System.nanoTime();
            int at = message.indexOf("t=");
            if (at < 0 || message.contains(" warmup\"")) {
                return;
            }
            int end = message.indexOf(' ', at);
            long sent = Long.parseLong(message.substring(at + 2, end));
            synchronized (this) {
                if (n == samples.length) {
                    samples = Arrays.copyOf(samples, n * 2);
                }
                samples[n++] = now - sent;
            }
        }

        @Override
        public void onOpen(ServerHandshake handshake) {
        }

        @Override
        public void onClose(int code, String reason, boolean remote) {
        }

        @Override
        public void onError(Exception ex) {
        }
    }

    /** An agent speaking PROTOCOL.md §3 with a bounded window of unacknowledged statuses. */
    static final class BenchAgent extends WebSocketClient implements LatencySource {
        final AtomicLong acked = new AtomicLong();
        private final CompletableFuture<Long> welcome = new CompletableFuture<>();
        private final Semaphore window;
        private final String agentId;
        private final long[] sentAt = new long[1 << 20];
        private final List<Long> ackNanos = new ArrayList<>();
        private long seq;

        private BenchAgent(URI uri, String agentId, int window) {
            super(uri);
            this.agentId = agentId;
            this.window = new Semaphore(window);
            setTcpNoDelay(true);
        }

        static BenchAgent connect(URI base, String agentId, int devices, int window) throws Exception {
            BenchAgent agent = new BenchAgent(base.resolve("/ws/agents"), agentId, window);
            if (!agent.connectBlocking(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("agent could not connect");
            }
            List<String> ids = new ArrayList<>();
            for (int d = 0; d < devices; d++) {
                ids.add(device(d));
            }
            agent.send(CODEC.encode(new Hello(agentId, System.getenv("BENCH_AGENT_TOKEN"), ids)));
            agent.seq = agent.welcome.get(10, TimeUnit.SECONDS);
            return agent;
        }

        static String device(int d) {
            return String.format(Locale.ROOT, "bench-%03d", d);
        }

        void sendPaced(int rate, int seconds, int devices, boolean counted) {
            long interval = 1_000_000_000L / rate;
            long start = System.nanoTime();
            long total = (long) rate * seconds;
            for (long k = 0; k < total; k++) {
                long due = start + k * interval;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                sendOne(devices, counted);
            }
        }

        void sendUntil(long endNanos, int devices) {
            try {
                while (System.nanoTime() < endNanos) {
                    if (window.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                        sendOne(devices, true);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void sendOne(int devices, boolean counted) {
            long n = ++seq;
            LocalDateTime now = CLOCK.now();
            long t = System.nanoTime();
            sentAt[(int) (n & (sentAt.length - 1))] = t;
            DeviceStatus status = new DeviceStatus("AA:BB:CC:00:00:01", "SN-" + n, StatusKind.SUCCESS, now, now, now,
                    "bench t=" + t + " n=" + n + (counted ? "" : " warmup"), device((int) (n % devices)), 0);
            send(CODEC.encode(new StatusFrame(n, status)));
        }

        @Override
        public synchronized long[] latencies() {
            return ackNanos.stream().mapToLong(Long::longValue).toArray();
        }

        long[] ackLatencies() {
            return latencies();
        }

        @Override
        public void onMessage(String message) {
            try {
                AgentFrame frame = CODEC.decode(message, CLOCK.now());
                if (frame instanceof Welcome w) {
                    welcome.complete(w.lastSeq());
                } else if (frame instanceof Ack a) {
                    long latency = System.nanoTime() - sentAt[(int) (a.seq() & (sentAt.length - 1))];
                    synchronized (this) {
                        if (ackNanos.size() < 2_000_000) {
                            ackNanos.add(latency);
                        }
                    }
                    acked.incrementAndGet();
                    window.release();
                }
            } catch (FrameException e) {
                System.err.println(agentId + ": bad frame from gateway: " + e.getMessage());
            } catch (Throwable t) {
                t.printStackTrace();
            }
        }

        @Override
        public void onOpen(ServerHandshake handshake) {
        }

        @Override
        public void onClose(int code, String reason, boolean remote) {
            welcome.completeExceptionally(new IllegalStateException("closed " + code + " " + reason));
        }

        @Override
        public void onError(Exception ex) {
        }
    }
}
