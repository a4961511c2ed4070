package io.benchlink.gateway.store.postgres;

import io.benchlink.gateway.store.StoredEvent;
import java.util.List;
import java.util.Map;

/**
 * What one committed batch did, in the order of its appends.
 *
 * @param events     the events this batch stored, in seq order (what subscribers get)
 * @param perAppend  for each append: the event stored for it now, the event an earlier POST with the same key
 *                   stored, or null for an agent status already stored (acknowledged again, stored once)
 * @param agentMarks each agent's high-water mark after the batch (what a welcome may now report)
 */
public record BatchOutcome(List<StoredEvent> events, List<StoredEvent> perAppend, Map<String, Long> agentMarks) {
    public BatchOutcome {
        events = List.copyOf(events);
        perAppend = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(perAppend));
        agentMarks = Map.copyOf(agentMarks);
    }

    public long lastSeq() {
        return events.isEmpty() ? 0 : events.get(events.size() - 1).seq();
    }
}
