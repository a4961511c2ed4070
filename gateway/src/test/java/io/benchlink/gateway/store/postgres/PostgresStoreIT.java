package io.benchlink.gateway.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.benchlink.common.json.StatusJson;
import io.benchlink.common.status.DeviceStatus;
import io.benchlink.common.status.StatusKind;
import io.benchlink.gateway.store.StoreException;
import io.benchlink.gateway.store.StoredEvent;
import io.benchlink.gateway.store.WriteSession;
import io.benchlink.gateway.testing.PostgresServer;
import java.time.LocalDateTime;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What only a shared database adds to the store contract: several gateways' writers on one log. */
@Timeout(60)
class PostgresStoreIT {
    private String url;
    private PostgresEventStore a;
    private PostgresEventStore b;

    @BeforeEach
    void open() {
        url = PostgresServer.shared().createDatabase();
        a = PostgresEventStore.open(PostgresLocation.of(url, Map.of()));
        b = PostgresEventStore.open(PostgresLocation.of(url, Map.of()));
    }

    @AfterEach
    void close() {
        a.close();
        b.close();
    }

    static StoredEvent event(long seq, String device) {
        DeviceStatus status = new DeviceStatus("AA:BB:CC:DD:EE:01", "SN-1", StatusKind.SUCCESS, null, null,
                LocalDateTime.now(), null, device, seq);
        return new StoredEvent(seq, device, StatusKind.SUCCESS, StatusJson.toJson(status));
    }

    /** One batch of an agent's statuses as a writer that believes nothing of this agent is stored would write. */
    private static void agentBatch(WriteSession session, String agent, long... agentSeqs) {
        long seq = session.begin();
        for (long agentSeq : agentSeqs) {
            session.append(event(++seq, "bench-1"), null, agent, agentSeq, System.currentTimeMillis());
            session.saveAgentMark(agent, agentSeq);
        }
        session.commit(seq);
    }

    @Test
    void anAgentThatMovedToAnotherGatewayIsStoredOnceAndItsMarkNeverDrops() {
        try (WriteSession onA = a.openWriter(); WriteSession onB = b.openWriter()) {
            agentBatch(onA, "rig-1", 1, 2, 3);
            agentBatch(onB, "rig-1", 2, 3, 4);

            assertThat(a.eventsAfter(0, null, 10)).extracting(StoredEvent::seq).containsExactly(1L, 2L, 3L, 6L);
            assertThat(b.agentMark("rig-1")).isEqualTo(4);
            agentBatch(onA, "rig-1", 3);
            assertThat(a.agentMark("rig-1")).isEqualTo(4);
            assertThat(a.eventCount()).isEqualTo(4);
        }
    }

    @Test
    void seesTheOtherGatewaysMarkInsideItsTransaction() {
        try (WriteSession onA = a.openWriter(); WriteSession onB = b.openWriter()) {
            agentBatch(onA, "rig-1", 1, 2);
            onB.begin();
            assertThat(onB.agentMark("rig-1")).isEqualTo(2);
            onB.rollback();
        }
    }

    @Test
    void answersARetriedPostWithTheFirstEventOnTheOtherGateway() {
        try (WriteSession onA = a.openWriter(); WriteSession onB = b.openWriter()) {
            long seq = onA.begin();
            StoredEvent first = event(seq + 1, "bench-1");
            onA.append(first, null, null, 0, System.currentTimeMillis());
            onA.saveIdempotent("key-1", first.seq(), System.currentTimeMillis());
            onA.commit(seq + 1);

            onB.begin();
            assertThat(onB.findIdempotent("key-1")).contains(first);
            onB.rollback();
        }
    }

    @Test
    void aWritersSeqFloorHoldsForEveryGatewayAndIsNeverLowered() {
        try (WriteSession onA = a.openWriter(); WriteSession onB = b.openWriter()) {
            onA.begin();
            onA.commit(1_000); // what a writer that started with the clock's floor commits with its first batch
            assertThat(onB.begin()).isEqualTo(1_000);
            onB.commit(10); // a writer whose mirror is behind
            assertThat(onA.begin()).isEqualTo(1_000);
            onA.rollback();
        }
    }

    @Test
    void reopensAMigratedSchemaWithItsEvents() {
        try (WriteSession onA = a.openWriter()) {
            agentBatch(onA, "rig-1", 1);
        }
        a.close();
        a = PostgresEventStore.open(PostgresLocation.of(url, Map.of()));
        assertThat(a.eventCount()).isEqualTo(1);
    }

    @Test
    void refusesToOpenAnUnreachableDatabaseWithOneLine() {
        String nowhere = "jdbc:postgresql://127.0.0.1:1/none?user=postgres&connectTimeout=1";
        assertThatThrownBy(() -> PostgresEventStore.open(PostgresLocation.of(nowhere, Map.of())))
                .isInstanceOf(RuntimeException.class)
                .hasMessageContaining("127.0.0.1:1");
    }

    @Test
    void failsABatchWhileTheDatabaseIsDownAndWorksAgainAfter() {
        try (PostgresServer own = PostgresServer.start(false)) {
            String ownUrl = own.createDatabase();
            try (PostgresEventStore store = PostgresEventStore.open(PostgresLocation.of(ownUrl, Map.of()));
                 WriteSession session = store.openWriter()) {
                agentBatch(session, "rig-1", 1);
                own.stop();
                assertThatThrownBy(() -> agentBatch(session, "rig-1", 2)).isInstanceOf(StoreException.class);
                session.rollback();
                own.restart();
                agentBatch(session, "rig-1", 2);
                assertThat(store.eventsAfter(0, null, 10)).extracting(StoredEvent::seq).containsExactly(1L, 2L);
            }
        }
    }
}
