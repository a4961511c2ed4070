package io.benchlink.gateway.bench;

import io.benchlink.common.protocol.AgentFrame;
import io.benchlink.common.protocol.AgentFrameCodec;
import io.benchlink.common.protocol.FrameException;
import io.benchlink.common.protocol.Hello;
import io.benchlink.common.protocol.StatusFrame;
import io.benchlink.common.protocol.Welcome;
import io.benchlink.common.status.DeviceStatus;
import io.benchlink.common.status.StatusKind;
import io.benchlink.common.time.WallClock;
import java.io.IOException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * One agent speaking docs/PROTOCOL.md §3 over {@link LeanWs}: hello with its own devices, then statuses with a
 * bounded window of unacknowledged ones (or paced), counting acks and their latency. The statuses look like a
 * tester's results (success, fail, error in 90/8/2 proportion) so the per-result queries have realistic work.
 */
final class LeanAgent implements AutoCloseable {
    static final WallClock CLOCK = WallClock.system();
    private static final AgentFrameCodec CODEC = new AgentFrameCodec(CLOCK);
    private static final int RING = 1 << 16;

    final String agentId;
    final AtomicLong acked = new AtomicLong();
    private final LeanWs ws;
    private final List<String> devices;
    private long[] sentAt; // allocated when reading starts: 1,000 idle agents need no send-time ring
    private final AckLog log;
    private Semaphore window;
    private long seq;
    private volatile boolean closing;
    private Thread reader;

    /** Receives each ack on the agent's reader thread: when it came and how long after its send. */
    interface AckLog {
        void ack(long atNanos, long latencyNanos);
    }

    private LeanAgent(LeanWs ws, String agentId, List<String> devices, AckLog log) {
        this.ws = ws;
        this.agentId = agentId;
        this.devices = devices;
        this.log = log;
    }

    static String device(int d) {
        return String.format(Locale.ROOT, "dev-%05d", d);
    }

    static String agent(int a) {
        return String.format(Locale.ROOT, "agent-%04d", a);
    }

    /** Connects, says hello for devices [first, first + count), waits for the welcome. Does not start reading acks. */
    static LeanAgent connect(int port, String agentId, int firstDevice, int count, AckLog log) throws IOException {
        List<String> ids = new ArrayList<>(count);
        for (int d = firstDevice; d < firstDevice + count; d++) {
            ids.add(device(d));
        }
        LeanWs ws = LeanWs.open(port, "/ws/agents", 0, 30_000);
        LeanAgent agent = new LeanAgent(ws, agentId, ids, log);
        ws.sendText(CODEC.encode(new Hello(agentId, System.getenv("BENCH_AGENT_TOKEN"), ids)));
        if (ws.next() != LeanWs.TEXT) {
            throw new IOException(agentId + ": closed before welcome (" + ws.closeCode() + ")");
        }
        try {
            AgentFrame frame = CODEC.decode(ws.text(), CLOCK.now());
            if (!(frame instanceof Welcome welcome)) {
                throw new IOException(agentId + ": expected welcome, got " + ws.text());
            }
            agent.seq = welcome.lastSeq();
        } catch (FrameException e) {
            throw new IOException(agentId + ": bad welcome " + e.getMessage(), e);
        }
        return agent;
    }

    /** Starts the ack reader; {@code window} statuses may be unacknowledged at once. */
    LeanAgent startReading(int windowSize) {
        window = new Semaphore(windowSize);
        sentAt = new long[RING];
        reader = new Thread(this::readAcks, "bench-acks-" + agentId);
        reader.setDaemon(true);
        reader.start();
        return this;
    }

    /** Sends {@code count} statuses as fast as the window allows; returns once all are acknowledged (bounded). */
    void sendCount(long count, long deadlineNanos) throws IOException, InterruptedException {
        long target = acked.get() + count;
        for (long k = 0; k < count; k++) {
            while (!window.tryAcquire(10, TimeUnit.MILLISECONDS)) {
                ws.flush();
                if (System.nanoTime() > deadlineNanos) {
                    throw new IOException(agentId + ": window stuck, " + acked.get() + " acked");
                }
            }
            queueOne();
            if (window.availablePermits() == 0) {
                ws.flush();
            }
        }
        ws.flush();
        while (acked.get() < target) {
            if (System.nanoTime() > deadlineNanos) {
                throw new IOException(agentId + ": " + (target - acked.get()) + " statuses never acknowledged");
            }
            Thread.sleep(1);
        }
    }

    /** Sends {@code rate} statuses per second on a fixed schedule until {@code endNanos} (open loop). */
    void sendPaced(int rate, long endNanos) throws IOException {
        long interval = 1_000_000_000L / rate;
        long start = System.nanoTime();
        for (long k = 0; ; k++) {
            long due = start + k * interval;
            if (due >= endNanos) {
                return;
            }
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            queueOne();
            ws.flush();
        }
    }

    private void queueOne() throws IOException {
        long n = ++seq;
        LocalDateTime now = CLOCK.now();
        int pick = (int) (n % 50);
        StatusKind kind = pick == 0 ? StatusKind.ERROR : pick < 5 ? StatusKind.FAIL : StatusKind.SUCCESS;
        String device = devices.get((int) (n % devices.size()));
        DeviceStatus status = new DeviceStatus("AA:BB:CC:00:00:01", "SN-" + agentId + "-" + n, kind,
                now.minusSeconds(42), now, now, "bench n=" + n + " U=230.1V I=0.52A", device, 0);
        sentAt[(int) (n & (RING - 1))] = System.nanoTime();
        ws.queueText(CODEC.encode(new StatusFrame(n, status)));
    }

    private void readAcks() {
        try {
            while (!closing) {
                int op = ws.next();
                if (op == LeanWs.CLOSE) {
                    if (!closing) {
                        System.err.println(agentId + ": closed by the gateway (" + ws.closeCode() + ")");
                    }
                    return;
                }
                String text = ws.text();
                if (!text.contains("\"ack\"")) {
                    System.err.println(agentId + ": " + text);
                    continue;
                }
                long now = System.nanoTime();
                long ackSeq = ackSeq(text);
                log.ack(now, now - sentAt[(int) (ackSeq & (RING - 1))]);
                acked.incrementAndGet();
                window.release();
            }
        } catch (IOException e) {
            if (!closing) {
                System.err.println(agentId + ": " + e.getMessage());
            }
        }
    }

    private static long ackSeq(String text) {
        int at = text.indexOf("\"seq\":");
        byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        return LeanWs.number(bytes, at + 6, bytes.length);
    }

    @Override
    public void close() {
        closing = true;
        ws.close();
    }
}
