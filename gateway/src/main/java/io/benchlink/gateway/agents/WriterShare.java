package io.benchlink.gateway.agents;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * Issue 14.4: each agent link's share of the store writer's queue, so that one agent sending at full speed cannot
 * fill the queue and push every other agent into 1013 (docs/PROTOCOL.md §8). While the queue is less than half
 * full every link may add to it. Once it is half full, a link that already holds its share of statuses not yet
 * answered by the writer (half the queue divided by the number of links plus one) is refused with 1013 and resends
 * later, while links below their share keep flowing. So the agents' statuses never fill the queue by themselves:
 * the refused links hold at most half of it, the others at most their shares, and the "plus one" keeps a share free
 * for a link that says hello next. A lone agent with a large window on a quiet gateway is never refused: the rule
 * bites only under pressure, and only the heaviest holders.
 *
 * <p>Thread-safe: the link count is atomic; each link's {@link Held} count is raised by its connection's worker
 * thread (one per connection) and lowered by the store writer thread. The queue depth (which takes the queue's
 * lock) is read only for a link already at its share, so a link within its share pays two atomic updates.
 */
final class WriterShare {
    private final int capacity;
    private final IntSupplier depth;
    private final AtomicInteger links = new AtomicInteger();

    /** {@code capacity}: the writer queue's size; {@code depth}: how many commands it holds now. */
    WriterShare(int capacity, IntSupplier depth) {
        if (capacity < 2) {
            throw new IllegalArgumentException("capacity must be at least 2 (got " + capacity + ")");
        }
        this.capacity = capacity;
        this.depth = depth;
    }

    /** A link said hello: the shares shrink. */
    void joined() {
        links.incrementAndGet();
    }

    /** A link that said hello is closed. */
    void left() {
        links.decrementAndGet();
    }

    /** Statuses one link may hold once the queue is half full. */
    int share() {
        return Math.max(1, capacity / 2 / (Math.max(0, links.get()) + 1));
    }

    /** Counts one more status of {@code held}'s link into the queue; false (nothing counted) when over its share. */
    boolean tryHold(Held held) {
        if (held.count.get() >= share() && depth.getAsInt() >= capacity / 2) {
            return false;
        }
        held.count.incrementAndGet();
        return true;
    }

    /** The statuses of one agent link that the writer has not yet answered (stored, refused or failed). */
    static final class Held {
        private final AtomicInteger count = new AtomicInteger();

        /** The writer answered one of them, or it never reached the queue. */
        void release() {
            count.decrementAndGet();
        }

        int count() {
            return count.get();
        }
    }
}
