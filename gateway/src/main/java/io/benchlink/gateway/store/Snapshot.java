package io.benchlink.gateway.store;

import java.util.List;

/**
 * The last status of each matching device, read in one transaction together with {@code highWater}, the highest
 * seq committed at that moment: a live event at or below it is already reflected in the snapshot.
 */
public record Snapshot(List<StoredEvent> devices, long highWater) {
}
