package io.benchlink.gateway.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.benchlink.gateway.subscribe.TextFrames;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.java_websocket.WebSocket;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ClientHandshake;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 14.8 under load: 300 replays (a burst of frames to a new connection from a replay thread, then silence, as
 * at the end of a since=0 catch-up) and, on two other connections, live bursts with quiet spells between them, all
 * through the gateway's own write path ({@link ConnectionOutlet}: frames straight onto the out-queue, then a write
 * demand), while busy threads keep every CPU contended and the selector dawdles 200 µs in the window where the
 * wake-up used to get lost. Fails on any frame delivered more than 1 s after it was queued, or never. Each frame
 * carries the {@code System.nanoTime()} at which it was queued; client and server share the JVM's clock. Without
 * the fix in our WebSocketServer copy a run here lost the tails of several replays; with it, about 20 s.
 */
@Timeout(120)
class WriteStallStressIT {
    private static final int REPLAYS = 300;
    private static final int CONCURRENT = 4;
    private static final int LIVE_CONNECTIONS = 2;
    private static final long BOUND_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long WINDOW_NANOS = TimeUnit.MICROSECONDS.toNanos(200);

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong worstNanos = new AtomicLong();
    private final AtomicInteger late = new AtomicInteger();
    private final List<Thread> spinners = new ArrayList<>();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final ScheduledExecutorService replay = Executors.newSingleThreadScheduledExecutor();
    private final ScheduledExecutorService live = Executors.newSingleThreadScheduledExecutor();
    private final ExecutorService clients = Executors.newFixedThreadPool(CONCURRENT);
    private StressServer server;
    private volatile long sink; // keeps the spinners' loop from being optimised away

    @AfterEach
    void stop() throws Exception {
        running.set(false);
        for (Thread spinner : spinners) {
            spinner.join(2_000);
        }
        clients.shutdownNow();
        live.shutdownNow();
        replay.shutdownNow();
        scheduler.shutdownNow();
        if (server != null) {
            server.stop(2_000);
        }
    }

    @Test
    void everyFrameOfHundredsOfReplaysAndBurstsArrivesWithinOneSecondUnderCpuContention() throws Exception {
        server = new StressServer();
        server.start();
        assertThat(server.started.await(10, TimeUnit.SECONDS)).isTrue();
        for (int i = 0; i < Runtime.getRuntime().availableProcessors(); i++) {
            Thread spinner = new Thread(this::spin, "test-cpu-spinner-" + i);
            spinner.setDaemon(true);
            spinner.start();
            spinners.add(spinner);
        }
        List<WebSocketClient> liveClients = new ArrayList<>();
        for (int i = 0; i < LIVE_CONNECTIONS; i++) {
            WebSocketClient client = client("/live", new CountDownLatch(0));
            assertThat(client.connectBlocking(10, TimeUnit.SECONDS)).isTrue();
            liveClients.add(client);
        }
        Random random = new Random(148);
        live.execute(() -> server.liveBurst(random));

        AtomicInteger next = new AtomicInteger();
        List<String> failures = new CopyOnWriteArrayList<>();
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < CONCURRENT; w++) {
            workers.add(clients.submit(() -> {
                for (int n = next.getAndIncrement(); n < REPLAYS && failures.isEmpty(); n = next.getAndIncrement()) {
                    String failure = oneReplay(1 + n % 40);
                    if (failure != null) {
                        failures.add(failure);
                    }
                }
                return null;
            }));
        }
        for (Future<?> worker : workers) {
            worker.get(100, TimeUnit.SECONDS);
        }
        for (WebSocketClient client : liveClients) {
            client.closeBlocking();
        }

        assertThat(failures).as("replays with a frame never delivered").isEmpty();
        assertThat(late.get()).as("frames delivered more than 1 s after they were queued (worst %d ms)",
                TimeUnit.NANOSECONDS.toMillis(worstNanos.get())).isZero();
    }

    /** Connects, asks for a replay of {@code frames} frames, and waits for all of them; null when all arrived. */
    private String oneReplay(int frames) throws Exception {
        CountDownLatch replayed = new CountDownLatch(frames);
        WebSocketClient client = client("/" + frames, replayed);
        try {
            if (!client.connectBlocking(10, TimeUnit.SECONDS)) {
                return "could not connect";
            }
            // Nothing else is written to a replay connection, so a lost wake-up leaves its tail queued for good.
            if (!replayed.await(5, TimeUnit.SECONDS)) {
                return replayed.getCount() + " of " + frames + " replayed frames not delivered within 5 s";
            }
            return null;
        } finally {
            client.closeBlocking();
        }
    }

    /** A client that checks each frame's delay and counts the frames down. */
    private WebSocketClient client(String path, CountDownLatch frames) {
        return new LoopbackClient(server, path) {
            @Override
            public void onMessage(String message) {
                long delay = System.nanoTime() - Long.parseLong(message);
                worstNanos.accumulateAndGet(delay, Math::max);
                if (delay > BOUND_NANOS) {
                    late.incrementAndGet();
                }
                frames.countDown();
            }
        };
    }

    private static void pause(long nanos) {
        long until = System.nanoTime() + nanos;
        while (System.nanoTime() < until) {
            Thread.onSpinWait();
        }
    }

    private void spin() {
        long x = 0;
        while (running.get()) {
            x += System.nanoTime() % 7; // keeps a CPU busy; the value is irrelevant
        }
        sink = x;
    }

    /** Sends each new connection its replay from one replay thread, page by page, like subscribe.CatchUp. */
    private final class StressServer extends LoopbackServer {
        final List<ConnectionOutlet> liveOutlets = new CopyOnWriteArrayList<>();

        StressServer() {
            super(2);
            setTcpNoDelay(true);
            setConnectionLostTimeout(0); // no pings: they would hide a lost wake-up
        }

        /** A selector slowed where the wake-up used to get lost, so the race is hit in seconds, not once a month. */
        @Override
        protected void afterOutQueueDrained(WebSocket conn) {
            pause(WINDOW_NANOS);
        }

        @Override
        public void onOpen(WebSocket conn, ClientHandshake handshake) {
            ConnectionOutlet outlet = new ConnectionOutlet((WebSocketImpl) conn, this, scheduler);
            if (handshake.getResourceDescriptor().equals("/live")) {
                liveOutlets.add(outlet);
                return;
            }
            int frames = Integer.parseInt(handshake.getResourceDescriptor().substring(1));
            replay.execute(() -> page(outlet, frames));
        }

        private void page(ConnectionOutlet outlet, int remaining) {
            int page = Math.min(remaining, 1 + remaining % 5);
            for (int i = 0; i < page; i++) {
                // a replay reads and encodes between frames; this spacing lets frames land in the selector's window
                pause(ThreadLocalRandom.current().nextLong(2 * WINDOW_NANOS));
                outlet.send(TextFrames.encode(Long.toString(System.nanoTime())), 1);
                outlet.flush();
            }
            if (remaining > page) {
                replay.execute(() -> page(outlet, remaining - page));
            }
        }

        /**
         * Now and then a burst of frames to each live connection, then a quiet spell longer than the bound, so a
         * burst's lost tail shows as a frame more than 1 s late; re-schedules itself.
         */
        void liveBurst(Random random) {
            for (ConnectionOutlet outlet : liveOutlets) {
                for (int k = 1 + random.nextInt(8); k > 0 && outlet.isOpen(); k--) {
                    pause(random.nextInt((int) (2 * WINDOW_NANOS)));
                    outlet.send(TextFrames.encode(Long.toString(System.nanoTime())), 1);
                    outlet.flush();
                }
            }
            if (running.get()) {
                live.schedule(() -> liveBurst(random), 50 + random.nextInt(1_500), TimeUnit.MILLISECONDS);
            }
        }
    }
}
