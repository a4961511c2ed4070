package io.benchlink.agent.source;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@link Connector} that plays a script, the reader's direct neighbour in unit tests: each {@link #open()} takes
 * the next step, either a refusal or a {@link Link} that delivers chunks and then ends, fails or stays open. Once
 * the script is used up every open is refused with "no such port". Thread-safe.
 */
final class ScriptedConnector implements Connector {
    private final ConcurrentLinkedQueue<Object> steps = new ConcurrentLinkedQueue<>();

    ScriptedConnector refuse(String reason) {
        steps.add(new IOException(reason));
        return this;
    }

    ScriptedConnector then(Link link) {
        steps.add(link);
        return this;
    }

    @Override
    public Connection open() throws IOException {
        Object step = steps.poll();
        if (step instanceof Link link) {
            link.openedAtNanos = System.nanoTime();
            link.opened = true;
            return link;
        }
        throw step instanceof IOException e ? e : new IOException("no such port");
    }

    @Override
    public String describe() {
        return "script:port";
    }

    @Override
    public String kind() {
        return "script";
    }

    /** One opened link: hands out its chunks in order, then does what its ending says. */
    static final class Link implements Connection {
        private final BlockingQueue<byte[]> chunks = new LinkedBlockingQueue<>();
        private final IOException failure;
        private final boolean staysOpen;
        final List<String> written = new CopyOnWriteArrayList<>();
        final List<Long> writtenAtNanos = new CopyOnWriteArrayList<>();
        volatile long openedAtNanos;
        volatile boolean opened;
        volatile boolean closed;

        private Link(List<String> chunks, IOException failure, boolean staysOpen) {
            chunks.forEach(this::send);
            this.failure = failure;
            this.staysOpen = staysOpen;
        }

        /** Delivers the chunks, then reports end of stream. */
        static Link ending(String... chunks) {
            return new Link(List.of(chunks), null, false);
        }

        /** Delivers the chunks, then throws {@code failure} from read. */
        static Link failing(IOException failure, String... chunks) {
            return new Link(List.of(chunks), failure, false);
        }

        /** Delivers the chunks and whatever is {@link #send sent} later, until the reader closes it. */
        static Link open(String... chunks) {
            return new Link(new ArrayList<>(List.of(chunks)), null, true);
        }

        void send(String chunk) {
            chunks.add(chunk.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public int read(byte[] buffer) throws IOException {
            byte[] chunk;
            try {
                chunk = staysOpen ? chunks.poll(5, TimeUnit.MILLISECONDS) : chunks.poll();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted");
            }
            if (chunk != null) {
                System.arraycopy(chunk, 0, buffer, 0, chunk.length);
                return chunk.length;
            }
            if (staysOpen) {
                return 0;
            }
            if (failure != null) {
                throw failure;
            }
            return -1;
        }

        @Override
        public void write(byte[] data) {
            writtenAtNanos.add(System.nanoTime());
            written.add(new String(data, StandardCharsets.UTF_8));
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
