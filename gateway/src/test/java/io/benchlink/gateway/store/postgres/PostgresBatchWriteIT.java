package io.benchlink.gateway.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.benchlink.common.json.StatusJson;
import io.benchlink.common.status.DeviceStatus;
import io.benchlink.common.status.StatusKind;
import io.benchlink.gateway.store.StoredEvent;
import io.benchlink.gateway.store.WriteSession;
import io.benchlink.gateway.testing.ClusterDatabase;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The batch write's two round trips (docs/PERFORMANCE.md "Cluster on PostgreSQL") keep what the store promises: the
 * JSON sent joined in one text comes back byte for byte, and the agent marks read with the lock are the ones
 * committed by any gateway up to that moment, never a previous batch's.
 */
@Timeout(60)
class PostgresBatchWriteIT {
    @RegisterExtension
    final ClusterDatabase database = new ClusterDatabase();
    private final PostgresEventStore a = database.store();
    private final PostgresEventStore b = database.store();

    private static StoredEvent event(long seq, String device, String result) {
        DeviceStatus status = new DeviceStatus("AA:BB:CC:DD:EE:01", "SN-1", StatusKind.FAIL, null, null,
                LocalDateTime.now(), result, device, seq);
        return new StoredEvent(seq, device, StatusKind.FAIL, StatusJson.toJson(status));
    }

    @Test
    void eventJsonWithSeparatorsQuotesAndControlCharactersComesBackExactly() {
        List<String> results = List.of("unit\u001fseparator", "quote \" backslash \\ brace { } comma ,",
                "line\nbreak\ttab", "NULL", "", "пробой изоляции", "{\"nested\":[1,2]}");
        List<StoredEvent> written = new ArrayList<>();
        try (WriteSession session = a.openWriter()) {
            long seq = session.begin();
            for (int i = 0; i < results.size(); i++) {
                StoredEvent event = event(++seq, "bench-" + i % 3, results.get(i));
                session.append(event, results.get(i), null, 0, System.currentTimeMillis());
                written.add(event);
            }
            session.commit(seq);
        }

        assertThat(b.eventsAfter(0, null, 100)).containsExactlyElementsOf(written);
        assertThat(b.snapshot(null).devices()).extracting(StoredEvent::json).containsExactlyInAnyOrder(
                written.get(4).json(), written.get(5).json(), written.get(6).json());
    }

    @Test
    void aWriterSeesTheMarkAnotherGatewayCommittedForAnAgentItWroteForInItsLastBatch() {
        try (WriteSession onA = a.openWriter(); WriteSession onB = b.openWriter()) {
            long seq = onA.begin();
            onA.append(event(++seq, "bench-1", "ok"), "ok", "rig-1", 1, System.currentTimeMillis());
            onA.saveAgentMark("rig-1", 1);
            onA.commit(seq);

            seq = onB.begin();
            onB.append(event(++seq, "bench-1", "ok"), "ok", "rig-1", 2, System.currentTimeMillis());
            onB.saveAgentMark("rig-1", 2);
            onB.commit(seq);

            onA.begin();
            assertThat(onA.agentMark("rig-1")).isEqualTo(2);
            onA.rollback();
        }
    }
}
