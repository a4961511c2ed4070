package io.benchlink.agent.uplink;

import io.benchlink.agent.spool.Spool;
import io.benchlink.agent.spool.SpoolRecord;
import io.benchlink.common.protocol.ErrorFrame;
import io.benchlink.common.text.OneLine;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The statuses the gateway refused one by one (PROTOCOL.md §3 device ownership, or an implausible seq), held in flight
 * until they go back into the spool under a new seq, and the per-device conflict view the status board shows
 * (issue 14.3): which devices another agent owns, who, and how many of their statuses are in flight.
 *
 * <p>Threads: every mutable field is owned by agent-uplink (it shares the {@link SendWindow} with {@link Uplink});
 * {@link #view()} and {@link #refused()} are safe from any thread. Logs under the {@link Uplink} logger, as before
 * the split.
 */
final class HeldRefusals {
    private static final Logger log = LoggerFactory.getLogger(Uplink.class);
    /** How long a status refused for its device's owner waits before it goes back into the spool (no hot loop). */
    static final long RETRY_MS = 5_000;

    private final Spool spool;
    private final SendWindow window;
    // seq -> when it goes back into the spool under a new seq. Until then it stays in flight, so the spool keeps it.
    private final TreeMap<Long, Long> dueBySeq = new TreeMap<>();
    // device -> the owner the gateway named, for devices refused on this link; seq -> device of each status in
    // flight, so the board can count what is held per device and an ack can end a conflict.
    private final Map<String, String> conflictOwners = new HashMap<>();
    private final Map<Long, String> inFlightDevices = new HashMap<>();
    private final Set<String> otherRefusals = new HashSet<>(); // devices with a refusal that is not ownership (logged)
    private final AtomicLong refused = new AtomicLong();
    private volatile List<OwnershipConflict> view = List.of();

    HeldRefusals(Spool spool, SendWindow window) {
        this.spool = spool;
        this.window = window;
    }

    /** Statuses refused so far (any thread). */
    long refused() {
        return refused.get();
    }

    /** The devices whose statuses are currently refused for another owner, in device order (any thread). */
    List<OwnershipConflict> view() {
        return view;
    }

    boolean isEmpty() {
        return dueBySeq.isEmpty();
    }

    /** How many refused statuses are held in flight. */
    int size() {
        return dueBySeq.size();
    }

    /** The {@link System#nanoTime()} at which the first held status is due (only when not empty). */
    long nextDueNanos() {
        return dueBySeq.values().stream().min(Long::compare).orElseThrow();
    }

    /** A status went out on this link. */
    void sent(long seq, String deviceId) {
        inFlightDevices.put(seq, deviceId);
    }

    /** A new link was welcomed: nothing is in flight on it yet. */
    void welcomed() {
        inFlightDevices.clear();
        publish();
    }

    /** An ack for a status in flight: a device that was refused is accepted again. */
    void acked(long seq, URI endpoint) {
        String device = inFlightDevices.remove(seq);
        if (device != null && conflictOwners.remove(device) != null) {
            log.info("uplink - {} accepted by {} again; its held statuses follow", device, endpoint);
        }
    }

    /**
     * PROTOCOL.md §3: the gateway refused one status (its device belongs to another agent, or its seq is implausible);
     * the link stays open and the other devices keep flowing. The status stays in the spool and is sent again later
     * under a new seq: the gateway's mark may pass the old one meanwhile, which would make a resend a duplicate.
     */
    void refusedBy(ErrorFrame error, URI endpoint) {
        if (!window.pending(error.seq()) || dueBySeq.containsKey(error.seq())) {
            return;
        }
        refused.incrementAndGet();
        dueBySeq.put(error.seq(), System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RETRY_MS));
        String device = inFlightDevices.getOrDefault(error.seq(), String.valueOf(error.deviceId()));
        if (!OwnershipConflict.isOwnership(error.message())) {
            if (otherRefusals.add(device)) {
                log.warn("uplink - {} refused statuses for {}: {}; kept in the spool and retried every {} s",
                        endpoint, device, OneLine.of(error.message(), 200), RETRY_MS / 1000);
            }
            return;
        }
        boolean first = !conflictOwners.containsKey(device);
        if (first) {
            conflictOwners.put(device, OwnershipConflict.ownerIn(error.message()));
        }
        publish();
        if (first) {
            log.warn("uplink - {}; {} refuses them until that rig has been offline past its grace period; kept in the"
                    + " spool and retried every {} s", describe(device), endpoint, RETRY_MS / 1000);
        }
    }

    private String describe(String device) {
        return view.stream().filter(c -> c.deviceId().equals(device)).findFirst()
                .map(OwnershipConflict::describe).orElse(device);
    }

    /** Recomputes what the board shows: per conflicted device, its statuses in flight (refused or about to be). */
    void publish() {
        if (conflictOwners.isEmpty()) {
            if (!view.isEmpty()) {
                view = List.of();
            }
            return;
        }
        Map<String, Integer> held = new TreeMap<>();
        conflictOwners.keySet().forEach(device -> held.put(device, 0));
        inFlightDevices.values().forEach(device -> held.computeIfPresent(device, (d, n) -> n + 1));
        List<OwnershipConflict> now = new ArrayList<>(held.size());
        held.forEach((device, n) -> now.add(new OwnershipConflict(device, conflictOwners.get(device), n)));
        view = List.copyOf(now);
    }

    /**
     * Puts refused statuses that are due (or all, when the link is lost) back into the spool under new seqs and
     * takes them out of the window. True when it went through; then the caller advances the ack floor and
     * {@link #publish()}es. False when it stopped early (spool full, or interrupted): the rest stay held.
     */
    boolean requeue(boolean all) {
        long now = System.nanoTime();
        Iterator<Map.Entry<Long, Long>> due = dueBySeq.entrySet().iterator();
        while (due.hasNext()) {
            Map.Entry<Long, Long> entry = due.next();
            if (!all && now - entry.getValue() < 0) {
                continue;
            }
            if (spool.full()) {
                return false; // appending would block this thread, which frees the spool: keep them held
            }
            if (!respool(entry.getKey())) {
                return false;
            }
            due.remove();
            window.acked(entry.getKey());
            inFlightDevices.remove(entry.getKey());
        }
        if (all) {
            conflictOwners.clear();
            otherRefusals.clear();
            inFlightDevices.clear(); // the link is gone: nothing is in flight any more
        }
        return true;
    }

    /** Appends the status at {@code seq} again (if the spool still holds it); false when interrupted. */
    private boolean respool(long seq) {
        List<SpoolRecord> records = spool.readAfter(seq - 1, 1);
        if (!records.isEmpty() && records.get(0).seq() == seq) {
            try {
                spool.append(records.get(0).status());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }
}
