package io.benchlink.gateway.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.benchlink.common.status.DeviceStatus;
import io.benchlink.common.status.StatusKind;
import io.benchlink.common.time.WallClock;
import io.benchlink.gateway.store.StoredEvent;
import io.benchlink.gateway.testing.PostgresServer;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class PostgresStoreIT {
    private final WallClock clock = WallClock.of(ZoneId.of("Europe/Moscow"));
    private String url;
    private PostgresStore store;

    @BeforeEach
    void open() {
        url = PostgresServer.shared().createDatabase();
        store = PostgresStore.open(PostgresLocation.of(url, Map.of()), clock, 0);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static DeviceStatus status(String device, StatusKind kind) {
        return new DeviceStatus("AA:BB:CC:DD:EE:01", "SN-1", kind, null, null, LocalDateTime.now(), "r", device, 0);
    }

    @Test
    void assignsIncreasingSeqAcrossBatchesAndStoresEachDevicesLastStatus() {
        BatchOutcome first = store.commit(List.of(Append.fromAgent("rig-1", 1, status("bench-1", StatusKind.ONLINE)),
                Append.fromAgent("rig-1", 2, status("bench-1", StatusKind.SUCCESS))));
        BatchOutcome second = store.commit(List.of(Append.byGateway(status("bench-2", StatusKind.FAIL))));

        assertThat(first.events()).extracting(StoredEvent::seq).containsExactly(1L, 2L);
        assertThat(second.events()).extracting(StoredEvent::seq).containsExactly(3L);
        assertThat(first.events().get(1).json()).contains("\"seq\":2").contains("\"status\":\"success\"");
        assertThat(store.latestSeq()).isEqualTo(3);
        assertThat(store.lastStatus("bench-1")).get().extracting(StoredEvent::status).isEqualTo(StatusKind.SUCCESS);
        assertThat(store.snapshot(null).devices()).extracting(StoredEvent::deviceId).containsExactly("bench-1", "bench-2");
        assertThat(store.snapshot(null).highWater()).isEqualTo(3);
    }

    @Test
    void storesARepeatedAgentSeqOnceAndReportsTheMark() {
        store.commit(List.of(Append.fromAgent("rig-1", 5, status("bench-1", StatusKind.SUCCESS))));
        BatchOutcome again = store.commit(List.of(Append.fromAgent("rig-1", 5, status("bench-1", StatusKind.SUCCESS)),
                Append.fromAgent("rig-1", 4, status("bench-1", StatusKind.FAIL)),
                Append.fromAgent("rig-1", 6, status("bench-1", StatusKind.FAIL))));

        assertThat(again.perAppend().get(0)).isNull();
        assertThat(again.perAppend().get(1)).isNull();
        assertThat(again.events()).hasSize(1);
        assertThat(again.agentMarks()).containsEntry("rig-1", 6L);
        assertThat(store.agentHighWater("rig-1")).isEqualTo(6);
        assertThat(store.agentHighWater("rig-unknown")).isZero();
        assertThat(store.eventCount()).isEqualTo(2);
    }

    @Test
    void sharesAgentMarksBetweenStoresOnOneDatabase() {
        try (PostgresStore other = PostgresStore.open(PostgresLocation.of(url, Map.of()), clock, 0)) {
            store.commit(List.of(Append.fromAgent("rig-1", 1, status("bench-1", StatusKind.SUCCESS))));
            BatchOutcome failover = other.commit(List.of(
                    Append.fromAgent("rig-1", 1, status("bench-1", StatusKind.SUCCESS)),
                    Append.fromAgent("rig-1", 2, status("bench-1", StatusKind.FAIL))));

            assertThat(failover.perAppend().get(0)).isNull();
            assertThat(failover.events()).extracting(StoredEvent::seq).containsExactly(2L);
            assertThat(other.agentHighWater("rig-1")).isEqualTo(2);
        }
    }

    @Test
    void answersARetriedPostWithTheFirstEventOnAnyGateway() {
        try (PostgresStore other = PostgresStore.open(PostgresLocation.of(url, Map.of()), clock, 0)) {
            StoredEvent first = store.commit(List.of(Append.fromClient("key-1", status("bench-1", StatusKind.FAIL))))
                    .perAppend().get(0);
            BatchOutcome retry = other.commit(List.of(Append.fromClient("key-1", status("bench-1", StatusKind.FAIL)),
                    Append.fromClient("key-2", status("bench-1", StatusKind.FAIL)),
                    Append.fromClient("key-2", status("bench-1", StatusKind.FAIL))));

            assertThat(retry.perAppend().get(0)).isEqualTo(first);
            assertThat(retry.perAppend().get(1)).isEqualTo(retry.perAppend().get(2));
            assertThat(retry.events()).hasSize(1);
            assertThat(store.eventCount()).isEqualTo(2);
        }
    }

    @Test
    void replaysBySeqForAllOrOneDevice() {
        for (int i = 0; i < 5; i++) {
            store.commit(List.of(Append.byGateway(status(i % 2 == 0 ? "even" : "odd", StatusKind.SUCCESS))));
        }
        assertThat(store.eventsAfter(2, null, 10)).extracting(StoredEvent::seq).containsExactly(3L, 4L, 5L);
        assertThat(store.eventsAfter(0, "odd", 10)).extracting(StoredEvent::seq).containsExactly(2L, 4L);
        assertThat(store.eventsAfter(0, null, 2)).extracting(StoredEvent::seq).containsExactly(1L, 2L);
    }

    @Test
    void retentionDropsOldEventsButNeverReusesTheirSeq() {
        store.commit(List.of(Append.byGateway(status("bench-1", StatusKind.SUCCESS)),
                Append.fromClient("old-key", status("bench-1", StatusKind.SUCCESS))));
        assertThat(store.oldestSeq()).isEqualTo(1);

        assertThat(store.purge(clock.clock().millis() + 1)).isEqualTo(2);

        assertThat(store.oldestSeq()).isZero();
        BatchOutcome next = store.commit(List.of(Append.fromClient("old-key", status("bench-1", StatusKind.FAIL))));
        assertThat(next.events()).extracting(StoredEvent::seq).containsExactly(3L);
        assertThat(store.oldestSeq()).isEqualTo(3);
    }

    @Test
    void startsAboveTheSeqFloorAndNeverLowersIt() {
        try (PostgresStore raised = PostgresStore.open(PostgresLocation.of(url, Map.of()), clock, 1_000)) {
            assertThat(raised.commit(List.of(Append.byGateway(status("b", StatusKind.ONLINE)))).lastSeq())
                    .isEqualTo(1_001);
        }
        try (PostgresStore lower = PostgresStore.open(PostgresLocation.of(url, Map.of()), clock, 10)) {
            assertThat(lower.commit(List.of(Append.byGateway(status("b", StatusKind.ONLINE)))).lastSeq())
                    .isEqualTo(1_002);
        }
    }

    @Test
    void migratesAnExistingSchemaWithoutLosingEvents() {
        store.commit(List.of(Append.byGateway(status("bench-1", StatusKind.SUCCESS))));
        store.close();
        store = PostgresStore.open(PostgresLocation.of(url, Map.of()), clock, 0);
        assertThat(store.eventCount()).isEqualTo(1);
    }
}
