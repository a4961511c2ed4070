package io.benchlink.gateway.subscribe;

import io.benchlink.gateway.store.EventStore;
import io.benchlink.gateway.store.StoreWriter;
import io.benchlink.gateway.store.StoredEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Routes each committed event to the subscribers whose filter matches it: those on {@code all} and those on
 * its device. Each batch is encoded once per filter ({@link FrameBatch}), whatever the number of subscribers. New subscribers are
 * registered before their catch-up starts, so nothing committed in between is missed.
 *
 * <p>Thread-safe: {@link #committed} runs on the store writer thread, {@link #subscribe}/{@link #unsubscribe}
 * on WebSocket threads; the indexes are concurrent sets.
 */
public final class SubscriberHub implements StoreWriter.CommitListener {
    private final Set<Subscription> allDevices = ConcurrentHashMap.newKeySet();
    private final Map<String, Set<Subscription>> byDevice = new ConcurrentHashMap<>();
    private final AtomicInteger count = new AtomicInteger();
    private final EventStore store;
    private final ScheduledExecutorService replay;
    private final HubStats stats = new HubStats();
    private final int maxSubscribers;

    public SubscriberHub(EventStore store, ScheduledExecutorService replay, int maxSubscribers) {
        this.store = store;
        this.replay = replay;
        this.maxSubscribers = maxSubscribers;
    }

    /**
     * Registers a subscriber and starts its catch-up; null when the connection limit is reached.
     *
     * @param since replay events after this seq, or -1 for none
     */
    public Subscription subscribe(Outlet outlet, String deviceId, boolean snapshot, long since, int bufferLimit) {
        if (count.incrementAndGet() > maxSubscribers) {
            count.decrementAndGet();
            return null;
        }
        Subscription subscription = new Subscription(outlet, deviceId, bufferLimit, stats);
        if (deviceId == null) {
            allDevices.add(subscription);
        } else {
            byDevice.computeIfAbsent(deviceId, id -> ConcurrentHashMap.newKeySet()).add(subscription);
        }
        replay.execute(new CatchUp(subscription, store, replay, snapshot, since));
        return subscription;
    }

    public void unsubscribe(Subscription subscription) {
        subscription.markClosed();
        boolean removed;
        if (subscription.deviceId() == null) {
            removed = allDevices.remove(subscription);
        } else {
            Set<Subscription> set = byDevice.get(subscription.deviceId());
            removed = set != null && set.remove(subscription);
            if (set != null && set.isEmpty()) {
                byDevice.remove(subscription.deviceId(), set);
            }
        }
        if (removed) {
            count.decrementAndGet();
        }
    }

    /**
     * Issue 18: an idle writer thread writes a committed batch to at most this many subscribers itself (no thread
     * hand-off, the lowest latency); a larger fan-out hands the others to the network thread first, so both write
     * at once and the writer is back at the next commit sooner. A busy writer (commands already waiting) hands
     * every subscriber to the network thread, so the writes overlap its next commit.
     */
    static final int WRITES_HERE_PER_BATCH = 16;

    @Override
    public void committed(List<StoredEvent> events) {
        committed(events, false);
    }

    @Override
    public void committed(List<StoredEvent> events, boolean writerBusy) {
        Map<String, List<StoredEvent>> perDevice = byDevice.isEmpty() ? Map.of() : perDevice(events);
        int fanOut = allDevices.size();
        for (String deviceId : perDevice.keySet()) {
            Set<Subscription> subscribers = byDevice.get(deviceId);
            fanOut += subscribers == null ? 0 : subscribers.size();
        }
        // the first ones offered go to the network thread
        int handOff = writerBusy ? Integer.MAX_VALUE : fanOut - WRITES_HERE_PER_BATCH;
        if (!allDevices.isEmpty()) {
            FrameBatch batch = new FrameBatch(events);
            for (Subscription subscription : allDevices) {
                subscription.offerLive(batch, handOff-- <= 0);
            }
        }
        for (Map.Entry<String, List<StoredEvent>> entry : perDevice.entrySet()) {
            Set<Subscription> subscribers = byDevice.get(entry.getKey());
            if (subscribers != null && !subscribers.isEmpty()) {
                FrameBatch batch = new FrameBatch(entry.getValue());
                for (Subscription subscription : subscribers) {
                    subscription.offerLive(batch, handOff-- <= 0);
                }
            }
        }
    }

    private Map<String, List<StoredEvent>> perDevice(List<StoredEvent> events) {
        Map<String, List<StoredEvent>> perDevice = new HashMap<>();
        for (StoredEvent event : events) {
            if (byDevice.containsKey(event.deviceId())) {
                perDevice.computeIfAbsent(event.deviceId(), id -> new ArrayList<>()).add(event);
            }
        }
        return perDevice;
    }

    public int size() {
        return count.get();
    }

    public HubStats stats() {
        return stats;
    }
}
