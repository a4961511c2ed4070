package io.benchlink.agent.cli;

import io.benchlink.agent.spool.StatusSink;
import io.benchlink.agent.uplink.LinkState;
import io.benchlink.agent.uplink.OwnershipConflict;
import io.benchlink.common.status.DeviceStatus;
import java.io.PrintWriter;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 4's live status of {@code agent run}: one line per device (tester status, last result, spool depth, link
 * state). In an interactive terminal the lines are redrawn in place about once a second (ANSI cursor-up); in a
 * service (no console) they are logged instead: at once when a tester or the link changes state, and all of them
 * once a minute. {@link #render} is a pure function so the format is unit-tested.
 *
 * <p>Threads: readers report through {@link #watching} (any thread, per-device state in a synchronized map); one
 * daemon thread {@code agent-status-board} renders. Spool depth and link state are read from their owners' getters.
 */
final class StatusBoard implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StatusBoard.class);
    static final int WIDTH = 120;
    private static final long REFRESH_MS = 1_000;
    private static final long SUMMARY_EVERY_MS = 60_000;

    /** What the board knows about one device: its last link status and its last result (either may be null). */
    record DeviceState(String deviceId, DeviceStatus link, DeviceStatus lastResult) {
    }

    private final Map<String, DeviceState> devices = new LinkedHashMap<>();
    private final LongSupplier spoolDepth;
    private final Supplier<LinkState> linkState;
    private final Supplier<List<OwnershipConflict>> conflicts;
    private final Thread thread;
    private volatile PrintWriter terminal;
    private volatile boolean stopped;

    StatusBoard(List<String> deviceIds, LongSupplier spoolDepth, Supplier<LinkState> linkState) {
        this(deviceIds, spoolDepth, linkState, List::of);
    }

    /** With issue 14.3's ownership conflicts (the uplink's), shown on the lines of their devices. */
    StatusBoard(List<String> deviceIds, LongSupplier spoolDepth, Supplier<LinkState> linkState,
            Supplier<List<OwnershipConflict>> conflicts) {
        deviceIds.forEach(id -> devices.put(id, new DeviceState(id, null, null)));
        this.spoolDepth = spoolDepth;
        this.linkState = linkState;
        this.conflicts = conflicts;
        this.thread = new Thread(this::run, "agent-status-board");
        thread.setDaemon(true);
    }

    /** A sink that hands each status to {@code delegate} and, once it is taken, shows it on the board. */
    StatusSink watching(StatusSink delegate) {
        return status -> {
            delegate.accept(status);
            record(status);
        };
    }

    void record(DeviceStatus status) {
        synchronized (devices) {
            DeviceState old = devices.getOrDefault(status.deviceId(), new DeviceState(status.deviceId(), null, null));
            devices.put(status.deviceId(), status.status().isResult()
                    ? new DeviceState(old.deviceId(), old.link(), status)
                    : new DeviceState(old.deviceId(), status, old.lastResult()));
        }
    }

    List<DeviceState> snapshot() {
        synchronized (devices) {
            return List.copyOf(devices.values());
        }
    }

    /** Starts redrawing on {@code terminal}, or logging when it is null (no console: a service). */
    void start(PrintWriter terminal) {
        this.terminal = terminal;
        thread.start();
    }

    /** One line per device, each at most {@link #WIDTH} characters. */
    static List<String> render(List<DeviceState> devices, long spoolDepth, LinkState link) {
        return render(devices, spoolDepth, link, List.of());
    }

    /**
     * As above; a device the gateway refuses for another owner says so before its last result, so the cut for the
     * width never hides it.
     */
    static List<String> render(List<DeviceState> devices, long spoolDepth, LinkState link,
            List<OwnershipConflict> conflicts) {
        Map<String, OwnershipConflict> byDevice = new LinkedHashMap<>();
        conflicts.forEach(c -> byDevice.put(c.deviceId(), c));
        int idWidth = Math.min(24, devices.stream().mapToInt(d -> d.deviceId().length()).max().orElse(0));
        String tail = String.format(Locale.ROOT, "  spool %d  link %s", spoolDepth,
                link.name().toLowerCase(Locale.ROOT));
        List<String> lines = new ArrayList<>(devices.size());
        for (DeviceState device : devices) {
            OwnershipConflict conflict = byDevice.get(device.deviceId());
            String line = String.format(Locale.ROOT, "%-" + idWidth + "s  %-7s  %s%s", device.deviceId(),
                    device.link() == null ? "-" : device.link().status().wireName(),
                    conflict == null ? "" : "CONFLICT " + conflict.summary() + "; ", lastResult(device.lastResult()));
            int room = WIDTH - tail.length();
            lines.add((line.length() > room ? line.substring(0, room - 3) + "..." : line) + tail);
        }
        return lines;
    }

    private static String lastResult(DeviceStatus result) {
        if (result == null) {
            return "no result yet";
        }
        LocalDateTime at = result.timeEnd() != null ? result.timeEnd() : result.updatedAt();
        String text = result.result() == null ? "" : " (" + result.result().strip() + ")";
        return String.format(Locale.ROOT, "last %s %s at %s%s", result.status().wireName(), result.serialNumber(),
                at == null ? "?" : at.toLocalTime().withNano(0), text);
    }

    /** ANSI redraw: move up over the previous frame (if any), then clear and write each line. */
    static String redraw(List<String> lines, int previousLines) {
        StringBuilder out = new StringBuilder();
        if (previousLines > 0) {
            out.append("\r\u001b[").append(previousLines).append('A');
        }
        for (String line : lines) {
            out.append("\u001b[2K").append(line).append('\n');
        }
        return out.toString();
    }

    private void run() {
        int drawn = 0;
        String loggedState = "";
        long lastSummary = System.nanoTime();
        while (!stopped) {
            try {
                List<DeviceState> now = snapshot();
                LinkState link = linkState.get();
                List<OwnershipConflict> clashes = conflicts.get();
                List<String> lines = render(now, spoolDepth.getAsLong(), link, clashes);
                PrintWriter out = terminal;
                String state = stateKey(now, link, clashes);
                if (out != null) {
                    out.print(redraw(lines, drawn));
                    out.flush();
                    drawn = lines.size();
                } else if (!state.equals(loggedState)
                        || System.nanoTime() - lastSummary > TimeUnit.MILLISECONDS.toNanos(SUMMARY_EVERY_MS)) {
                    lines.forEach(line -> LOG.info("status: {}", line));
                    loggedState = state;
                    lastSummary = System.nanoTime();
                }
                TimeUnit.MILLISECONDS.sleep(REFRESH_MS); // the refresh period, not synchronisation
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Throwable t) {
                // A display problem must never stop the agent: log and keep going.
                LOG.warn("status board - render failed ({})", t.toString());
            }
        }
    }

    /**
     * In a log, results change too often to log each (they show in the minute's summary); a tester going
     * online/offline or the link changing state is worth a line at once.
     */
    static String stateKey(List<DeviceState> devices, LinkState link) {
        return stateKey(devices, link, List.of());
    }

    /** As above; an ownership conflict starting or ending is a change of state too (not its held count). */
    static String stateKey(List<DeviceState> devices, LinkState link, List<OwnershipConflict> conflicts) {
        StringBuilder key = new StringBuilder(link.name());
        conflicts.forEach(c -> key.append("|conflict=").append(c.deviceId()).append('/').append(c.owner()));
        for (DeviceState device : devices) {
            key.append('|').append(device.deviceId()).append('=')
                    .append(device.link() == null ? "-" : device.link().status().wireName());
        }
        return key.toString();
    }

    @Override
    public void close() {
        stopped = true;
        thread.interrupt();
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
