package io.benchlink.agent.testing;

import static org.awaitility.Awaitility.await;

import io.benchlink.agent.spool.StatusSink;
import io.benchlink.common.status.DeviceStatus;
import io.benchlink.common.status.StatusKind;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * An in-memory {@link StatusSink} (the spool's stand-in, the reader's direct neighbour) that tests can wait on.
 * Thread-safe.
 */
public final class RecordingSink implements StatusSink {
    private final List<DeviceStatus> statuses = new CopyOnWriteArrayList<>();

    @Override
    public void accept(DeviceStatus status) {
        statuses.add(status);
    }

    public List<DeviceStatus> all() {
        return List.copyOf(statuses);
    }

    public List<DeviceStatus> of(String deviceId) {
        return statuses.stream().filter(s -> s.deviceId().equals(deviceId)).toList();
    }

    public List<DeviceStatus> results(String deviceId) {
        return of(deviceId).stream().filter(s -> s.status().isResult()).toList();
    }

    /** Waits until {@code deviceId} has at least {@code count} test results and returns them. */
    public List<DeviceStatus> awaitResults(String deviceId, int count, Duration atMost) {
        try {
            await(deviceId + " results").atMost(atMost).pollInterval(Duration.ofMillis(20))
                    .until(() -> results(deviceId).size() >= count);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("expected " + count + " results of " + deviceId + " within " + atMost
                    + ", got: " + of(deviceId), e);
        }
        return results(deviceId);
    }

    /**
     * Waits until the device's latest link status is {@code kind}, after at least {@code seen} statuses of that
     * kind.
     */
    public void awaitLink(String deviceId, StatusKind kind, int seen, Duration atMost) {
        await(deviceId + " " + kind.wireName() + " #" + seen).atMost(atMost).pollInterval(Duration.ofMillis(20))
                .until(() -> count(deviceId, s -> s.status() == kind) >= seen);
    }

    public long count(String deviceId, Predicate<DeviceStatus> filter) {
        return of(deviceId).stream().filter(filter).count();
    }
}
