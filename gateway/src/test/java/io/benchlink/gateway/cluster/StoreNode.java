package io.benchlink.gateway.cluster;

import io.benchlink.common.concurrent.NamedThreadFactory;
import io.benchlink.common.time.WallClock;
import io.benchlink.gateway.store.StoreWriter;
import io.benchlink.gateway.store.postgres.SharedStore;
import io.benchlink.gateway.subscribe.Outlet;
import io.benchlink.gateway.subscribe.SubscriberHub;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One gateway's store side, wired as {@link SharedStore} says the composition root wires it (real writer, real
 * subscriber hub, real feed), without the sockets: what a cluster test needs to show delivery across gateways.
 */
final class StoreNode implements AutoCloseable {
    final SharedStore shared;
    final SubscriberHub hub;
    final StoreWriter writer;
    private final ScheduledExecutorService replay;

    StoreNode(String url, String name) {
        shared = SharedStore.open(url, Map.of());
        replay = Executors.newSingleThreadScheduledExecutor(NamedThreadFactory.single("test-replay-" + name));
        hub = new SubscriberHub(shared.store(), replay, 100);
        writer = new StoreWriter(shared.store(), WallClock.of(ZoneId.of("Europe/Moscow")), Duration.ofDays(30), 1_000,
                shared.wakeFeed());
        shared.startFeed(hub);
        writer.start();
    }

    /** A subscriber on {@code all} resuming after {@code since} (-1: live only). */
    Recorder subscribe(long since) {
        Recorder recorder = new Recorder();
        hub.subscribe(recorder, null, false, since, 10_000);
        return recorder;
    }

    @Override
    public void close() throws InterruptedException {
        writer.close();
        shared.close();
        replay.shutdownNow();
        replay.awaitTermination(2, TimeUnit.SECONDS);
    }

    /** An outlet that keeps the seq of every message it is handed, with the time it arrived. */
    static final class Recorder implements Outlet {
        private static final Pattern SEQ = Pattern.compile("\"seq\":(\\d+)");
        final List<Long> seqs = new CopyOnWriteArrayList<>();
        final List<Long> arrivals = new CopyOnWriteArrayList<>();

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public int backlog() {
            return 0;
        }

        @Override
        public void send(ByteBuffer frames, int messages) {
            String text = StandardCharsets.ISO_8859_1.decode(frames.duplicate()).toString();
            Matcher m = SEQ.matcher(text);
            long now = System.nanoTime();
            while (m.find()) {
                seqs.add(Long.parseLong(m.group(1)));
                arrivals.add(now);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close(int code, String reason) {
        }
    }
}
