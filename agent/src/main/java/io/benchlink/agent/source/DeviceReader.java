package io.benchlink.agent.source;

import io.benchlink.agent.profile.LineFacts;
import io.benchlink.agent.profile.LineFramer;
import io.benchlink.agent.profile.LineParser;
import io.benchlink.agent.profile.Profile;
import io.benchlink.agent.profile.TestTracker;
import io.benchlink.agent.retry.Backoff;
import io.benchlink.agent.spool.StatusSink;
import io.benchlink.common.concurrent.NamedThreadFactory;
import io.benchlink.common.status.DeviceStatus;
import io.benchlink.common.status.StatusKind;
import io.benchlink.common.time.WallClock;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one tester for the life of the agent: opens its {@link Connector}, frames and parses what arrives with the
 * device's profile, and hands every status (results, {@code online} when the link opens, {@code offline} when it
 * is lost or cannot be opened) to the {@link StatusSink}. After a loss it retries with a capped {@link Backoff},
 * resolving the port again each time. Link statuses are sent only on a change, so a missing port is reported once.
 *
 * <p>Owned by: its own thread {@code agent-<kind>-<deviceId>}; {@link #close()} may be called from any thread.
 * The thread is never interrupted, because the sink may be writing to a file channel that an interrupt would close.
 */
public final class DeviceReader implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceReader.class);
    private static final int READ_BUFFER = 8192;

    private final String deviceId;
    private final Connector connector;
    private final Profile profile;
    private final StatusSink sink;
    private final WallClock clock;
    private final Backoff backoff;
    private final LineParser parser;
    private final LineFramer framer;
    private final TestTracker tracker;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final Thread thread;
    private volatile StatusKind linkState;
    private volatile long openAttempts;
    private long nextCommandNanos;

    public DeviceReader(String deviceId, Connector connector, Profile profile, StatusSink sink, WallClock clock,
            Backoff backoff) {
        this.deviceId = deviceId;
        this.connector = connector;
        this.profile = profile;
        this.sink = sink;
        this.clock = clock;
        this.backoff = backoff;
        this.parser = profile.parser();
        this.framer = new LineFramer(profile.lineEnding(), profile.charset(), profile.maxLineLength());
        this.tracker = new TestTracker(deviceId, profile.testTimeout(), clock);
        this.thread = NamedThreadFactory.thread("agent-" + connector.kind() + "-" + deviceId, false, this::run);
    }

    /** The default reconnect pacing: first retry after 100 ms, then at most one attempt a second. */
    public static Backoff defaultBackoff() {
        return Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(1));
    }

    public void start() {
        thread.start();
    }

    public String deviceId() {
        return deviceId;
    }

    /** The last link status sent ({@code ONLINE}/{@code OFFLINE}), or null before the first attempt ended. */
    public StatusKind linkState() {
        return linkState;
    }

    /** How many times the reader has tried to open its port so far (for metrics and tests). */
    public long openAttempts() {
        return openAttempts;
    }

    /** Asks the reader to stop without waiting; it leaves within one read poll (about half a second). */
    public void requestStop() {
        stop.countDown();
    }

    /** Asks the reader to stop and waits up to {@code timeout}; a reader blocked in the sink is left with a warning. */
    public boolean close(Duration timeout) throws InterruptedException {
        stop.countDown();
        thread.join(timeout.toMillis());
        if (thread.isAlive()) {
            LOG.warn("{} - reader did not stop within {} ms", deviceId, timeout.toMillis());
            return false;
        }
        return true;
    }

    @Override
    public void close() throws InterruptedException {
        close(Duration.ofSeconds(5));
    }

    private boolean stopping() {
        return stop.getCount() == 0;
    }

    private void run() {
        while (!stopping()) {
            try {
                connectAndRead();
                // a test whose port vanished still times out on schedule, not only after the port returns
                reportTimeout();
                stop.await(backoff.nextDelayMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Throwable t) {
                // A reader must outlive any surprise in one cycle (a parser bug, a driver error): log and retry.
                LOG.error("{} - unexpected failure reading {}", deviceId, connector.describe(), t);
                sleepQuietly();
            }
        }
    }

    private void connectAndRead() throws InterruptedException {
        Connection connection;
        openAttempts++; // written by this thread only
        try {
            connection = connector.open();
        } catch (IOException | RuntimeException e) {
            if (linkState != StatusKind.OFFLINE) {
                LOG.warn("{} - {} not available ({}); retrying", deviceId, connector.describe(), e.getMessage());
                announce(StatusKind.OFFLINE, LinkWords.unreachable(e));
            } else {
                LOG.debug("{} - {} still not available ({})", deviceId, connector.describe(), e.getMessage());
            }
            return;
        }
        try (connection) {
            backoff.reset();
            LOG.info("{} - {} open", deviceId, connector.describe());
            announce(StatusKind.ONLINE, LinkWords.connected(connector.describe()));
            String reason = pump(connection);
            if (reason != null) {
                LOG.warn("{} - {} lost ({})", deviceId, connector.describe(), reason);
                announce(StatusKind.OFFLINE, LinkWords.disconnected(reason));
            }
        }
    }

    /** Reads until the link is lost (returns the reason) or the reader stops (returns null). */
    private String pump(Connection connection) throws InterruptedException {
        framer.reset();
        byte[] buffer = new byte[READ_BUFFER];
        nextCommandNanos = System.nanoTime();
        try {
            if (profile.commandOnConnect()) {
                connection.write(profile.commandBytes());
            }
            scheduleCommand();
            while (!stopping()) {
                int n = connection.read(buffer);
                if (n < 0) {
                    return connector.describe() + " closed the connection";
                }
                if (n > 0) {
                    framer.feed(buffer, 0, n, this::onLine);
                }
                tick(connection);
            }
            return null;
        } catch (IOException e) {
            return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
    }

    private void onLine(String line, boolean truncated) throws InterruptedException {
        if (truncated) {
            LOG.warn("{} - line longer than {} bytes cut ({} so far)", deviceId, profile.maxLineLength(),
                    framer.truncatedLines());
        }
        List<DeviceStatus> statuses;
        try {
            LineFacts facts = parser.parse(line);
            statuses = tracker.accept(facts);
        } catch (RuntimeException | StackOverflowError e) {
            // A hostile line must not stop the device or drop its link: a user regex can still blow up on it.
            LOG.warn("{} - line could not be parsed ({})", deviceId, e.toString());
            return;
        }
        for (DeviceStatus status : statuses) {
            sink.accept(status);
        }
    }

    private void tick(Connection connection) throws IOException, InterruptedException {
        reportTimeout();
        if (profile.commandEvery() != null && System.nanoTime() - nextCommandNanos >= 0) {
            connection.write(profile.commandBytes());
            scheduleCommand();
        }
    }

    private void reportTimeout() throws InterruptedException {
        var timedOut = tracker.checkTimeout();
        if (timedOut.isPresent()) {
            LOG.warn("{} - {}", deviceId, timedOut.get().result());
            sink.accept(timedOut.get());
        }
    }

    private void scheduleCommand() {
        if (profile.commandEvery() != null) {
            nextCommandNanos = System.nanoTime() + profile.commandEvery().toNanos();
        }
    }

    private void announce(StatusKind kind, String text) throws InterruptedException {
        String result = text.length() > 200 ? text.substring(0, 200) : text;
        sink.accept(DeviceStatus.link(deviceId, kind, result, clock.now()));
        linkState = kind;
    }

    private void sleepQuietly() {
        try {
            stop.await(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
