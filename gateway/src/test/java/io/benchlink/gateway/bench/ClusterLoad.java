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
import java.net.URI;
import java.time.Duration;
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
import java.util.stream.LongStream;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;

/**
 * Durable acked ingest on a gateway cluster (issue 15, scripts/bench-cluster.sh): agents spread round-robin over
 * the given gateways send as fast as their window of unacknowledged statuses allows, and one subscriber on
 * {@code /ws/devices/all} of each gateway times every delivery from the agent's send (same JVM, same monotonic
 * clock). A delivery is "cross" when the status was sent to another gateway than the subscriber's: it went through
 * the shared store and the other gateway's feed. A URL given twice is one gateway with two subscribers (the same
 * delivery work as two gateways with one each, for a fair cost per status): every delivery is then "same".
 *
 * <p>{@code cluster URLS AGENTS SECONDS WINDOW ROUNDS PACED_RATE [GATEWAY_PIDS [DB_PID]]}: URLS comma-separated;
 * a warm-up round (SECONDS, or the system property bench.warmup), then ROUNDS timed rounds of SECONDS each (the
 * same agent connections; each round waits until every status is acknowledged and delivered), then one paced
 * round at PACED_RATE statuses/s in all (latency at a load below the ceiling). CPU per status is read from /proc through {@link ProcessHandle} for the gateway processes
 * and the database's postmaster with its backends. Loopback only; bounded in time.
 */
final class ClusterLoad {
    private static final WallClock CLOCK = WallClock.system();
    private static final AgentFrameCodec CODEC = new AgentFrameCodec(CLOCK);
    private static final int DEVICES_PER_AGENT = 8;
    private static final Duration SETTLE = Duration.ofSeconds(30);
    // Set when the tool closes its sockets: a close the gateway completes first is then no news.
    private static volatile boolean closing;

    private final List<URI> gateways;
    private final List<Agent> agents = new ArrayList<>();
    private final List<Subscriber> subscribers = new ArrayList<>();
    private final List<Long> gatewayPids;
    private final long dbPid;

    private ClusterLoad(List<URI> gateways, List<Long> gatewayPids, long dbPid) {
        this.gateways = gateways;
        this.gatewayPids = gatewayPids;
        this.dbPid = dbPid;
    }

    /** {@code args} as after the scenario name (see the class comment). */
    static void run(String[] args) throws Exception {
        if (args.length < 6) {
            throw new IllegalArgumentException("cluster needs URLS AGENTS SECONDS WINDOW ROUNDS PACED_RATE"
                    + " [GATEWAY_PIDS [DB_PID]]");
        }
        List<URI> urls = Arrays.stream(args[0].split(",")).map(URI::create).toList();
        int agentCount = Integer.parseInt(args[1]);
        int seconds = Integer.parseInt(args[2]);
        int window = Integer.parseInt(args[3]);
        int rounds = Integer.parseInt(args[4]);
        int pacedRate = Integer.parseInt(args[5]);
        List<Long> pids = args.length > 6 ? Arrays.stream(args[6].split(",")).map(Long::parseLong).toList() : List.of();
        long db = args.length > 7 ? Long.parseLong(args[7]) : -1;
        ClusterLoad load = new ClusterLoad(urls, pids, db);
        load.connect(agentCount, window);
        System.out.printf(Locale.ROOT, "cluster gateways=%d agents=%d window=%d seconds=%d rounds=%d%n", urls.size(),
                agentCount, window, seconds, rounds);
        // warm-up: the gateways' and this JVM's JIT compile the hot path; not counted
        load.round(0, Integer.getInteger("bench.warmup", seconds), 0);
        List<Round> results = new ArrayList<>();
        for (int r = 1; r <= rounds; r++) {
            Round result = load.round(r, seconds, 0);
            System.out.println("  round " + r + ": " + result);
            System.out.println("RESULT max " + result.figures());
            results.add(result);
        }
        if (rounds > 1) {
            System.out.println("  median: " + Round.median(results));
        }
        if (pacedRate > 0) {
            Round paced = load.round(rounds + 1, seconds, pacedRate);
            System.out.printf(Locale.ROOT, "  paced %d/s: %s%n", pacedRate, paced);
            System.out.println("RESULT paced " + paced.figures());
        }
        load.close();
    }

    private void connect(int count, int window) throws Exception {
        for (int g = 0; g < gateways.size(); g++) {
            URI gateway = gateways.get(g);
            Subscriber s = new Subscriber(gateway.resolve("/ws/devices/all"), gateways.indexOf(gateway));
            if (!s.connectBlocking(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("subscriber on " + gateways.get(g) + " could not connect");
            }
            subscribers.add(s);
        }
        String run = Long.toString(System.currentTimeMillis() % 100_000_000, 36);
        for (int a = 0; a < count; a++) {
            URI gateway = gateways.get(a % gateways.size());
            agents.add(Agent.connect(gateway, "cl-" + run + "-" + a, gateways.indexOf(gateway), window));
        }
    }

    /** One timed round: {@code rate} 0 sends as fast as the windows allow, else paced over all agents. */
    private Round round(int round, int seconds, int rate) throws Exception {
        agents.forEach(Agent::reset);
        subscribers.forEach(s -> s.reset(round));
        long cpuBefore = cpu(gatewayPids);
        long dbBefore = dbPid > 0 ? cpu(List.of(dbPid)) : 0;
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        List<Thread> threads = new ArrayList<>();
        for (Agent agent : agents) {
            int perAgent = rate / agents.size();
            Thread t = new Thread(() -> agent.send(round, end, perAgent), "load-" + agent.agentId);
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        long sendEnd = System.nanoTime();
        long sent = agents.stream().mapToLong(a -> a.sent).sum();
        long settleBy = System.nanoTime() + SETTLE.toNanos();
        while (System.nanoTime() < settleBy && (agents.stream().mapToLong(a -> a.acked.get()).sum() < sent
                || subscribers.stream().anyMatch(s -> s.count() < sent))) {
            Thread.sleep(20);
        }
        long cpu = cpu(gatewayPids) - cpuBefore;
        long db = dbPid > 0 ? cpu(List.of(dbPid)) - dbBefore : 0;
        long acked = agents.stream().mapToLong(a -> a.acked.get()).sum();
        long[] acks = sorted(agents.stream().flatMapToLong(a -> LongStream.of(a.latencies())));
        long[] cross = sorted(subscribers.stream().flatMapToLong(s -> LongStream.of(s.latencies(true))));
        long[] same = sorted(subscribers.stream().flatMapToLong(s -> LongStream.of(s.latencies(false))));
        long delivered = subscribers.stream().mapToLong(Subscriber::count).min().orElse(0);
        return new Round(acked / ((sendEnd - start) / 1e9), acked, sent, delivered, acks, cross, same,
                acked == 0 ? 0 : cpu / 1e3 / acked, acked == 0 ? 0 : db / 1e3 / acked);
    }

    /** CPU nanoseconds used so far by the processes and their live descendants (database backends). */
    private static long cpu(List<Long> pids) {
        long total = 0;
        for (long pid : pids) {
            ProcessHandle process = ProcessHandle.of(pid).orElse(null);
            if (process == null) {
                continue;
            }
            total += cpuOf(process);
            total += process.descendants().mapToLong(ClusterLoad::cpuOf).sum();
        }
        return total;
    }

    private static long cpuOf(ProcessHandle process) {
        return process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }

    private static long[] sorted(LongStream values) {
        return values.sorted().toArray();
    }

    static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.min(sorted.length - 1, Math.ceil(p / 100.0 * sorted.length) - 1);
        return sorted[Math.max(0, index)] / 1e6;
    }

    private void close() {
        closing = true;
        agents.forEach(WebSocketClient::close);
        subscribers.forEach(WebSocketClient::close);
    }

    /** What one round measured; latencies in nanoseconds, sorted; CPU in microseconds per acknowledged status. */
    record Round(double perSecond, long acked, long sent, long delivered, long[] acks, long[] cross, long[] same,
            double gatewayCpuMicros, double dbCpuMicros) {

        static String median(List<Round> rounds) {
            return String.format(Locale.ROOT, "statuses/s %.0f  ack p50 %.1f p99 %.1f ms  cross p50 %.1f p99 %.1f ms"
                            + "  cpu us/status gateways %.1f db %.1f total %.1f",
                    mid(rounds, Round::perSecond), mid(rounds, r -> pct(r.acks, 50)), mid(rounds, r -> pct(r.acks, 99)),
                    mid(rounds, r -> pct(r.cross, 50)), mid(rounds, r -> pct(r.cross, 99)),
                    mid(rounds, Round::gatewayCpuMicros), mid(rounds, Round::dbCpuMicros),
                    mid(rounds, r -> r.gatewayCpuMicros + r.dbCpuMicros));
        }

        private static double mid(List<Round> rounds, java.util.function.ToDoubleFunction<Round> f) {
            double[] values = rounds.stream().mapToDouble(f).sorted().toArray();
            return values.length == 0 ? Double.NaN : values[values.length / 2];
        }

        /** For the script: statuses/s, ack p50 p99, cross p50 p99, same p50 p99 (ms), CPU us/status gateways db. */
        String figures() {
            return String.format(Locale.ROOT, "%.0f %.1f %.1f %.1f %.1f %.1f %.1f %.1f %.1f", perSecond, pct(acks, 50),
                    pct(acks, 99), pct(cross, 50), pct(cross, 99), pct(same, 50), pct(same, 99), gatewayCpuMicros,
                    dbCpuMicros);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "acked %d of %d sent (%.0f statuses/s), delivered to each subscriber"
                            + " >= %d; ack ms p50 %.1f p99 %.1f; delivery cross ms p50 %.1f p99 %.1f max %.1f (n=%d);"
                            + " same ms p50 %.1f p99 %.1f (n=%d); cpu us/status gateways %.1f db %.1f",
                    acked, sent, perSecond, delivered, pct(acks, 50), pct(acks, 99), pct(cross, 50), pct(cross, 99),
                    pct(cross, 100), cross.length, pct(same, 50), pct(same, 99), same.length, gatewayCpuMicros,
                    dbCpuMicros);
        }
    }

    /** Records latency of every status of the current round from the {@code t=} send nanos in its result text. */
    static final class Subscriber extends WebSocketClient {
        private final int gateway;
        private final Samples cross = new Samples();
        private final Samples same = new Samples();
        private volatile String roundTag = "r=0 ";
        private final AtomicLong count = new AtomicLong();

        Subscriber(URI uri, int gateway) {
            super(uri);
            this.gateway = gateway;
            setTcpNoDelay(true);
        }

        void reset(int round) {
            cross.clear();
            same.clear();
            count.set(0);
            roundTag = "r=" + round + " ";
        }

        long count() {
            return count.get();
        }

        long[] latencies(boolean crossing) {
            return crossing ? cross.values() : same.values();
        }

        @Override
        public void onMessage(String message) {
            long now = System.nanoTime();
            String tag = roundTag;
            // "bench t=<send nanos> r=<round> g=<gateway sent to> n=<agent seq>"; a frame may carry several
            for (int at = message.indexOf("bench t="); at >= 0; at = message.indexOf("bench t=", at + 8)) {
                int space = message.indexOf(' ', at + 8);
                if (!message.startsWith(tag, space + 1)) {
                    continue;
                }
                long sent = Long.parseLong(message.substring(at + 8, space));
                int g = message.charAt(space + 1 + tag.length() + 2) - '0';
                (g == gateway ? same : cross).add(now - sent);
                count.incrementAndGet();
            }
        }

        @Override
        public void onOpen(ServerHandshake handshake) {
        }

        @Override
        public void onClose(int code, String reason, boolean remote) {
            if (remote && !closing) {
                System.err.println("subscriber on " + getURI() + " closed by the gateway: " + code + " " + reason);
            }
        }

        @Override
        public void onError(Exception ex) {
        }
    }

    /** An agent speaking PROTOCOL.md §3 with a bounded window of unacknowledged statuses, its own devices. */
    static final class Agent extends WebSocketClient {
        final AtomicLong acked = new AtomicLong();
        final String agentId;
        private final CompletableFuture<Long> welcome = new CompletableFuture<>();
        private final Semaphore window;
        private final int gateway;
        private final long[] sentAt = new long[1 << 20];
        private final Samples acks = new Samples();
        private volatile long countedFrom;
        private long seq;
        private long sent;

        private Agent(URI uri, String agentId, int gateway, int window) {
            super(uri);
            this.agentId = agentId;
            this.gateway = gateway;
            this.window = new Semaphore(window);
            setTcpNoDelay(true);
        }

        static Agent connect(URI base, String agentId, int gateway, int window) throws Exception {
            Agent agent = new Agent(base.resolve("/ws/agents"), agentId, gateway, window);
            if (!agent.connectBlocking(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("agent " + agentId + " could not connect to " + base);
            }
            List<String> devices = new ArrayList<>();
            for (int d = 0; d < DEVICES_PER_AGENT; d++) {
                devices.add(agent.device(d));
            }
            agent.send(CODEC.encode(new Hello(agentId, System.getenv("BENCH_AGENT_TOKEN"), devices)));
            agent.seq = agent.welcome.get(10, TimeUnit.SECONDS);
            return agent;
        }

        private String device(int d) {
            return agentId + "-d" + d;
        }

        void reset() {
            acks.clear();
            acked.set(0);
            sent = 0;
            countedFrom = seq + 1;
        }

        long[] latencies() {
            return acks.values();
        }

        /** Sends until {@code endNanos}: as the window allows ({@code rate} 0) or {@code rate} per second. */
        void send(int round, long endNanos, int rate) {
            long start = System.nanoTime();
            long interval = rate > 0 ? 1_000_000_000L / rate : 0;
            try {
                for (long k = 0; System.nanoTime() < endNanos; k++) {
                    if (rate > 0) {
                        long wait = start + k * interval - System.nanoTime();
                        if (wait > 0) {
                            LockSupport.parkNanos(wait);
                        }
                    }
                    if (window.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                        sendOne(round);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void sendOne(int round) {
            long n = ++seq;
            sent++;
            LocalDateTime now = CLOCK.now();
            long t = System.nanoTime();
            sentAt[(int) (n & (sentAt.length - 1))] = t;
            DeviceStatus status = new DeviceStatus("AA:BB:CC:00:00:01", "SN-" + n, StatusKind.SUCCESS, now, now, now,
                    "bench t=" + t + " r=" + round + " g=" + gateway + " n=" + n, device((int) (n % DEVICES_PER_AGENT)),
                    0);
            send(CODEC.encode(new StatusFrame(n, status)));
        }

        @Override
        public void onMessage(String message) {
            try {
                AgentFrame frame = CODEC.decode(message, CLOCK.now());
                if (frame instanceof Welcome w) {
                    welcome.complete(w.lastSeq());
                } else if (frame instanceof Ack a) {
                    if (a.seq() >= countedFrom) {
                        acks.add(System.nanoTime() - sentAt[(int) (a.seq() & (sentAt.length - 1))]);
                        acked.incrementAndGet();
                    }
                    window.release();
                }
            } catch (FrameException e) {
                System.err.println(agentId + ": bad frame from gateway: " + e.getMessage());
            }
        }

        @Override
        public void onOpen(ServerHandshake handshake) {
        }

        @Override
        public void onClose(int code, String reason, boolean remote) {
            welcome.completeExceptionally(new IllegalStateException("closed " + code + " " + reason));
            if (remote && !closing) {
                System.err.println("agent " + agentId + " closed by the gateway: " + code + " " + reason);
            }
        }

        @Override
        public void onError(Exception ex) {
        }
    }

    /** A growable array of nanosecond samples, written by one socket thread, read between rounds. */
    private static final class Samples {
        private long[] values = new long[1 << 16];
        private int n;

        synchronized void add(long value) {
            if (n == values.length) {
                values = Arrays.copyOf(values, n * 2);
            }
            values[n++] = value;
        }

        synchronized void clear() {
            n = 0;
        }

        synchronized long[] values() {
            return Arrays.copyOf(values, n);
        }
    }
}
