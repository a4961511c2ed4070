package io.benchlink.gateway.subscribe;

import io.benchlink.common.status.StatusKind;
import io.benchlink.gateway.metrics.StatusTally;
import io.benchlink.gateway.store.StoredEvent;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The events of one committed batch that match one filter ({@code all}, or one device), in seq order, encoded
 * once as consecutive WebSocket frames in a single buffer. Every subscriber of that filter gets a duplicate of
 * the same bytes: one queue item and one socket write per batch instead of one per event and subscriber.
 *
 * <p>Immutable after construction except the per-event frames, built on demand (rarely: only when a subscriber
 * has already seen part of the batch) under this object's lock.
 */
final class FrameBatch {
    private final List<StoredEvent> events;
    private final ByteBuffer combined;
    private final long[] kindCounts = new long[StatusKind.values().length];
    private ByteBuffer[] frames;

    FrameBatch(List<StoredEvent> events) {
        this.events = List.copyOf(events);
        ByteBuffer[] encoded = new ByteBuffer[events.size()];
        int total = 0;
        for (int i = 0; i < encoded.length; i++) {
            encoded[i] = TextFrames.encode(events.get(i).json());
            total += encoded[i].remaining();
            kindCounts[events.get(i).status().ordinal()]++;
        }
        if (encoded.length == 1) {
            combined = encoded[0];
        } else {
            ByteBuffer all = ByteBuffer.allocate(total);
            for (ByteBuffer frame : encoded) {
                all.put(frame.duplicate());
            }
            all.flip();
            combined = all.asReadOnlyBuffer();
        }
        this.frames = encoded;
    }

    int size() {
        return events.size();
    }

    long firstSeq() {
        return events.get(0).seq();
    }

    long lastSeq() {
        return events.get(events.size() - 1).seq();
    }

    StoredEvent event(int i) {
        return events.get(i);
    }

    /** A fresh view of all frames of the batch, for one subscriber. */
    ByteBuffer combined() {
        return combined.duplicate();
    }

    /** A fresh view of one event's frame, for a subscriber that already has the events before it. */
    synchronized ByteBuffer frame(int i) {
        return frames[i].duplicate();
    }

    void countDelivered(StatusTally tally) {
        for (StatusKind kind : StatusKind.values()) {
            if (kindCounts[kind.ordinal()] > 0) {
                tally.add(kind, kindCounts[kind.ordinal()]);
            }
        }
    }
}
