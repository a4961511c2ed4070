package io.benchlink.gateway.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Seeds a gateway's store through its own ingest path and measures it from outside, as the store grows (issue 18;
 * driven by scripts/bench-store.sh). Talks only WebSocket and HTTP on 127.0.0.1, so it measures any store back-end.
 * Every step is bounded in time and stops by itself. Usage ({@code WS}/{@code HTTP} are port numbers):
 * <ul>
 *   <li>{@code seed WS EVENTS DEVICES AGENTS PARALLEL WINDOW}: AGENTS agents, each with DEVICES/AGENTS devices of
 *   its own, send EVENTS/AGENTS statuses each, PARALLEL agents at a time, WINDOW unacknowledged each.</li>
 *   <li>{@code replay WS EXPECTED SECONDS}: one subscriber with {@code since=0} reads EXPECTED events.</li>
 *   <li>{@code head WS HTTP}: {@code since=} 100 below the newest event: time from connect to the first event.</li>
 *   <li>{@code page HTTP SECONDS}: {@code /api/events?limit=10000} from since=0 until an empty page.</li>
 *   <li>{@code devices HTTP PACE_KIB_S [PATH]}: {@code GET /api/devices} (or PATH): first byte, whole answer; read at PACE KiB/s
 *   (0: as fast as possible).</li>
 *   <li>{@code snapshot WS DEVICES PACE_PER_S}: {@code snapshot=true} on {@code all}: first entry, all DEVICES
 *   entries, reading PACE entries/s (0: as fast as possible).</li>
 *   <li>{@code agents WS AGENTS DEVICES HOLD_SECONDS}: AGENTS agents connected at once (hello + welcome), held.</li>
 *   <li>{@code sweep WS HTTP AGENTS RATE SECONDS EXPIRED_UP_TO}: AGENTS agents at RATE/s each while the retention
 *   sweep runs; ack latency and the longest gap between acks, during the sweep (until {@code oldest_seq} passes
 *   EXPIRED_UP_TO) and after it.</li>
 * </ul>
 */
public final class StoreBench {
    private StoreBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: seed|replay|head|page|devices|snapshot|agents|sweep PORT ... (see the class)");
            System.exit(2);
        }
        switch (args[0]) {
            case "seed" -> seed(i(args[1]), l(args[2]), i(args[3]), i(args[4]), i(args[5]), i(args[6]));
            case "replay" -> replay(i(args[1]), l(args[2]), i(args[3]));
            case "head" -> head(i(args[1]), i(args[2]));
            case "page" -> page(i(args[1]), i(args[2]));
            case "devices" -> devices(i(args[1]), i(args[2]), args.length > 3 ? args[3] : "/api/devices");
            case "snapshot" -> snapshot(i(args[1]), i(args[2]), i(args[3]));
            case "agents" -> agents(i(args[1]), i(args[2]), i(args[3]), i(args[4]));
            case "sweep" -> Sweep.run(i(args[1]), i(args[2]), i(args[3]), i(args[4]), i(args[5]), l(args[6]));
            default -> {
                System.err.println("unknown step " + args[0]);
                System.exit(2);
            }
        }
        System.exit(0);
    }

    static int i(String text) {
        return Integer.parseInt(text);
    }

    static long l(String text) {
        return Long.parseLong(text);
    }

    static void seed(int port, long events, int devices, int agents, int parallel, int window) throws Exception {
        long perAgent = events / agents;
        int devicesEach = devices / agents;
        long start = System.nanoTime();
        long deadline = start + TimeUnit.HOURS.toNanos(2);
        AtomicLong done = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        List<Future<?>> jobs = new ArrayList<>();
        for (int a = 0; a < agents; a++) {
            int index = a;
            jobs.add(pool.submit(() -> {
                try (LeanAgent agent = LeanAgent.connect(port, LeanAgent.agent(index), index * devicesEach,
                        devicesEach, (at, latency) -> { })) {
                    agent.startReading(window).sendCount(perAgent, deadline);
                }
                long total = done.addAndGet(perAgent);
                if (total % (perAgent * 50) == 0) {
                    double s = (System.nanoTime() - start) / 1e9;
                    System.out.printf(Locale.ROOT, "  seeded %,d events in %.0f s (%.0f/s)%n", total, s, total / s);
                }
                return null;
            }));
        }
        for (Future<?> job : jobs) {
            job.get(2, TimeUnit.HOURS);
        }
        pool.shutdown();
        double s = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "seed: %,d events, %d devices, %d agents (%d at a time, window %d) in %.1f s:"
                + " %.0f acknowledged events/s%n", perAgent * agents, devicesEach * agents, agents, parallel, window,
                s, perAgent * agents / s);
    }

    static void replay(int port, long expected, int seconds) throws IOException {
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        long count = 0;
        long firstNanos = -1;
        long lastSeq = -1;
        String failure = "";
        try (LeanWs ws = LeanWs.open(port, "/ws/devices/all?since=0", 4 << 20, 30_000)) {
            while (count < expected && System.nanoTime() < end) {
                int op = ws.next();
                if (op == LeanWs.CLOSE) {
                    System.out.println("  closed by the gateway: " + ws.closeCode());
                    break;
                }
                if (firstNanos < 0) {
                    firstNanos = System.nanoTime() - start;
                }
                count++;
                if (count == expected) {
                    lastSeq = ws.lastSeq();
                }
            }
        } catch (IOException e) {
            failure = " FAILED: " + e;
        }
        double s = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "replay since=0: %,d of %,d events in %.2f s: %.0f events/s (first after %.1f ms,"
                + " last seq %d)%s%s%n", count, expected, s, count / s, firstNanos / 1e6, lastSeq,
                count < expected ? " INCOMPLETE" : "", failure);
    }

    /** The newest event's seq: the highest seq among the devices' last statuses (every event updates one). */
    static long newestEventSeq(int httpPort) throws IOException {
        byte[] body = Http.get(httpPort, "/api/devices", 0).body;
        long max = -1;
        for (int i = 0; i + 6 <= body.length; i++) {
            if (body[i] == '"' && body[i + 1] == 's' && body[i + 2] == 'e' && body[i + 3] == 'q' && body[i + 4] == '"'
                    && body[i + 5] == ':') {
                max = Math.max(max, LeanWs.number(body, i + 6, body.length));
            }
        }
        return max;
    }

    static void head(int port, int httpPort) throws IOException {
        long since = Math.max(0, newestEventSeq(httpPort) - 100);
        long start = System.nanoTime();
        try (LeanWs ws = LeanWs.open(port, "/ws/devices/all?since=" + since, 0, 10_000)) {
            long upgraded = System.nanoTime();
            ws.timeout(5_000);
            int op = ws.next();
            long first = System.nanoTime();
            System.out.printf(Locale.ROOT, "head since=%d: upgrade %.1f ms, first event %.1f ms after connect (%s)%n",
                    since, (upgraded - start) / 1e6, (first - start) / 1e6,
                    op == LeanWs.TEXT ? "seq " + ws.lastSeq() : "close " + ws.closeCode());
        }
    }

    static void page(int port, int seconds) throws IOException {
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        long since = 0;
        long count = 0;
        int pages = 0;
        long slowest = 0;
        while (System.nanoTime() < end) {
            long t0 = System.nanoTime();
            byte[] body = Http.get(port, "/api/events?since=" + since + "&limit=10000", 0).body;
            slowest = Math.max(slowest, System.nanoTime() - t0);
            int n = count(body);
            if (n == 0) {
                break;
            }
            count += n;
            pages++;
            since = lastSeq(body);
        }
        double s = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "page limit=10000: %,d events in %d pages, %.2f s: %.0f events/s (slowest page"
                + " %.0f ms)%s%n", count, pages, s, count / s, slowest / 1e6,
                System.nanoTime() >= end ? " STOPPED AT THE TIME LIMIT" : "");
    }

    static void devices(int port, int paceKib, String path) throws IOException {
        Http.get(port, "/healthz", 0); // untimed: this client JVM's own first request (see snapshot)
        Answer answer = Http.get(port, path, paceKib);
        System.out.printf(Locale.ROOT, "devices%s%s: status %d, %,d devices, %,d bytes, first byte %.1f ms, whole %.1f ms%n",
                path.equals("/api/devices") ? "" : " " + path, paceKib > 0 ? " paced " + paceKib + " KiB/s" : "",
                answer.status, count(answer.body),
                answer.body.length, answer.firstByteNanos / 1e6, answer.totalNanos / 1e6);
    }

    static void snapshot(int port, int devices, int pacePerSecond) throws IOException {
        // Untimed: one plain subscription first, so the timed one does not include this client JVM's own class
        // loading and first-run code (a 1C client is a long-running process); the gateway's snapshot path stays cold.
        LeanWs.open(port, "/ws/devices/all", 0, 60_000).close();
        long start = System.nanoTime();
        long first = -1;
        long upgraded = -1;
        int count = 0;
        String end = "complete";
        try (LeanWs ws = LeanWs.open(port, "/ws/devices/all?snapshot=true", pacePerSecond > 0 ? 8192 : 4 << 20,
                60_000)) {
            upgraded = System.nanoTime() - start;
            while (count < devices) {
                int op = ws.next();
                if (op == LeanWs.CLOSE) {
                    end = "closed by the gateway with " + ws.closeCode() + " after " + count;
                    break;
                }
                if (first < 0) {
                    first = System.nanoTime() - start;
                }
                count++;
                if (pacePerSecond > 0) {
                    long due = start + (long) count * 1_000_000_000L / pacePerSecond;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        java.util.concurrent.locks.LockSupport.parkNanos(wait);
                    }
                }
            }
        } catch (IOException e) {
            end = "failed after " + count + ": " + e.getMessage();
        }
        System.out.printf(Locale.ROOT, "snapshot%s: %,d of %,d entries, first %.1f ms, all %.1f ms (%s; upgrade"
                + " answered after %.1f ms)%n", pacePerSecond > 0 ? " paced " + pacePerSecond + "/s" : "", count,
                devices, first / 1e6, (System.nanoTime() - start) / 1e6, end, upgraded / 1e6);
    }

    static void agents(int port, int agents, int devices, int holdSeconds) throws Exception {
        int each = devices / agents;
        List<LeanAgent> list = new ArrayList<>(agents);
        long start = System.nanoTime();
        for (int a = 0; a < agents; a++) {
            list.add(LeanAgent.connect(port, LeanAgent.agent(a), a * each, each, (at, latency) -> { }));
        }
        System.out.printf(Locale.ROOT, "agents: %d connected (%d devices each) in %.1f s; holding %d s%n", agents, each,
                (System.nanoTime() - start) / 1e9, holdSeconds);
        System.out.println("READY");
        System.out.flush();
        Thread.sleep(TimeUnit.SECONDS.toMillis(holdSeconds));
        list.forEach(LeanAgent::close);
    }

    /** Events in a JSON array of stored events: each has exactly one {@code "seq":} (text fields escape quotes). */
    static int count(byte[] body) {
        int n = 0;
        for (int i = 0; i + 6 <= body.length; i++) {
            if (body[i] == '"' && body[i + 1] == 's' && body[i + 2] == 'e' && body[i + 3] == 'q' && body[i + 4] == '"'
                    && body[i + 5] == ':') {
                n++;
            }
        }
        return n;
    }

    static long lastSeq(byte[] body) {
        for (int i = body.length - 6; i >= 0; i--) {
            if (body[i] == '"' && body[i + 1] == 's' && body[i + 2] == 'e' && body[i + 3] == 'q' && body[i + 4] == '"'
                    && body[i + 5] == ':') {
                return LeanWs.number(body, i + 6, body.length);
            }
        }
        return -1;
    }

    static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.min(sorted.length - 1, Math.ceil(p / 100.0 * sorted.length) - 1);
        return sorted[Math.max(0, index)] / 1e6;
    }

    /** HTTP/1.1 GET over a raw socket, so the first byte's arrival is seen exactly and reading can be paced. */
    static final class Http {
        private Http() {
        }

        static Answer get(int port, String path, int paceKib) throws IOException {
            long start = System.nanoTime();
            try (Socket socket = new Socket()) {
                if (paceKib > 0) {
                    socket.setReceiveBufferSize(16 * 1024);
                }
                socket.setSoTimeout(120_000);
                socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
                OutputStream out = socket.getOutputStream();
                out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = socket.getInputStream();
                byte[] buffer = new byte[paceKib > 0 ? 4096 : 1 << 20];
                java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream(1 << 20);
                long first = -1;
                long read = 0;
                int n;
                while ((n = in.read(buffer)) > 0) {
                    if (first < 0) {
                        first = System.nanoTime() - start;
                    }
                    all.write(buffer, 0, n);
                    read += n;
                    if (paceKib > 0) {
                        long due = start + first + read * 1_000_000_000L / (paceKib * 1024L);
                        long wait = due - System.nanoTime();
                        if (wait > 0) {
                            java.util.concurrent.locks.LockSupport.parkNanos(wait);
                        }
                    }
                }
                return Answer.parse(all.toByteArray(), first, System.nanoTime() - start);
            }
        }
    }

    /** A parsed answer: status and body (chunked bodies joined). */
    static final class Answer {
        final int status;
        final byte[] body;
        final long firstByteNanos;
        final long totalNanos;

        private Answer(int status, byte[] body, long firstByteNanos, long totalNanos) {
            this.status = status;
            this.body = body;
            this.firstByteNanos = firstByteNanos;
            this.totalNanos = totalNanos;
        }

        static Answer parse(byte[] raw, long first, long total) throws IOException {
            int headEnd = -1;
            for (int i = 0; i + 3 < raw.length; i++) {
                if (raw[i] == '\r' && raw[i + 1] == '\n' && raw[i + 2] == '\r' && raw[i + 3] == '\n') {
                    headEnd = i;
                    break;
                }
            }
            if (headEnd < 0) {
                throw new IOException("no HTTP head in " + raw.length + " bytes");
            }
            String head = new String(raw, 0, headEnd, StandardCharsets.US_ASCII);
            int status = Integer.parseInt(head.substring(9, 12));
            byte[] body = Arrays.copyOfRange(raw, headEnd + 4, raw.length);
            if (head.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked")) {
                body = unchunk(body);
            }
            return new Answer(status, body, first, total);
        }

        private static byte[] unchunk(byte[] in) {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(in.length);
            int i = 0;
            while (i < in.length) {
                int lineEnd = i;
                while (lineEnd + 1 < in.length && !(in[lineEnd] == '\r' && in[lineEnd + 1] == '\n')) {
                    lineEnd++;
                }
                String sizeText = new String(in, i, lineEnd - i, StandardCharsets.US_ASCII).split(";")[0].trim();
                int size = sizeText.isEmpty() ? 0 : Integer.parseInt(sizeText, 16);
                if (size == 0) {
                    break;
                }
                out.write(in, lineEnd + 2, size);
                i = lineEnd + 2 + size + 2;
            }
            return out.toByteArray();
        }
    }
}
