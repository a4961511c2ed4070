package io.benchlink.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.benchlink.common.json.StatusJson;
import io.benchlink.common.status.DeviceStatus;
import io.benchlink.common.status.StatusKind;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link EventStore} keeps, whatever holds the data: one suite, run against each back-end by a
 * subclass that says how to open a fresh, empty store. Drives {@link WriteSession} as {@link StoreWriter} does
 * (begin, appends, commit), so the writer's rules are not under test here, only the store's.
 */
public abstract class StoreContract {
    protected EventStore store;
    protected WriteSession session;

    /** A new, empty store. */
    protected abstract EventStore openStore();

    @BeforeEach
    void open() {
        store = openStore();
        session = store.openWriter();
        session.load();
    }

    @AfterEach
    void close() {
        session.close();
        store.close();
    }

    protected static StoredEvent event(long seq, String device, StatusKind kind, String result) {
        DeviceStatus status = new DeviceStatus("AA:BB:CC:DD:EE:01", "SN-1", kind, null, null,
                LocalDateTime.of(2026, 1, 2, 3, 4, 5), result, device, seq);
        return new StoredEvent(seq, device, kind, StatusJson.toJson(status));
    }

    /** One committed batch of gateway-made events with the next seqs; returns them. */
    protected List<StoredEvent> commit(String... devices) {
        long seq = session.begin();
        List<StoredEvent> events = new java.util.ArrayList<>();
        for (String device : devices) {
            StoredEvent e = event(++seq, device, StatusKind.SUCCESS, "ok");
            session.append(e, "ok", null, 0, System.currentTimeMillis());
            events.add(e);
        }
        session.commit(seq);
        return events;
    }

    @Test
    void startsEmpty() {
        assertThat(store.latestSeq()).isZero();
        assertThat(store.oldestSeq()).isZero();
        assertThat(store.eventCount()).isZero();
        assertThat(store.snapshot(null).devices()).isEmpty();
        assertThat(session.load().lastSeq()).isZero();
    }

    @Test
    void beginReportsTheLastCommittedSeq() {
        commit("a", "b");
        assertThat(session.begin()).isEqualTo(2);
        session.rollback();
        assertThat(store.latestSeq()).isEqualTo(2);
    }

    @Test
    void replaysBySeqForAllDevicesOrOne() {
        commit("even", "odd", "even");
        commit("odd", "even");
        assertThat(store.eventsAfter(2, null, 10)).extracting(StoredEvent::seq).containsExactly(3L, 4L, 5L);
        assertThat(store.eventsAfter(0, "odd", 10)).extracting(StoredEvent::seq).containsExactly(2L, 4L);
        assertThat(store.eventsAfter(0, null, 2)).extracting(StoredEvent::seq).containsExactly(1L, 2L);
        assertThat(store.eventsAfter(0, null, 1).get(0).json()).contains("\"seq\":1");
    }

    @Test
    void aRolledBackBatchLeavesNothing() {
        commit("a");
        long seq = session.begin();
        session.append(event(seq + 1, "b", StatusKind.FAIL, null), null, "rig-1", 7, System.currentTimeMillis());
        session.saveAgentMark("rig-1", 7);
        session.saveIdempotent("k", seq + 1, System.currentTimeMillis());
        session.rollback();

        assertThat(store.eventCount()).isEqualTo(1);
        assertThat(store.latestSeq()).isEqualTo(1);
        assertThat(store.agentMark("rig-1")).isZero();
        assertThat(store.lastStatus("b")).isEmpty();
        session.begin();
        assertThat(session.findIdempotent("k")).isEmpty();
        session.rollback();
    }

    @Test
    void keepsEachDevicesLastStatusWithTheSnapshotsHighWater() {
        long seq = session.begin();
        session.append(event(seq + 1, "bench-1", StatusKind.ONLINE, null), null, null, 0, 1);
        session.append(event(seq + 2, "bench-1", StatusKind.FAIL, "bad"), "bad", null, 0, 1);
        session.append(event(seq + 3, "bench-2", StatusKind.SUCCESS, "ok"), "ok", null, 0, 1);
        session.commit(seq + 3);

        Snapshot snapshot = store.snapshot(null);
        assertThat(snapshot.devices()).extracting(StoredEvent::deviceId).containsExactly("bench-1", "bench-2");
        assertThat(snapshot.devices()).extracting(StoredEvent::seq).containsExactly(2L, 3L);
        assertThat(snapshot.highWater()).isEqualTo(3);
        assertThat(store.lastStatus("bench-1")).get().extracting(StoredEvent::status).isEqualTo(StatusKind.FAIL);
        assertThat(store.snapshot("bench-2").devices()).hasSize(1);
        assertThat(session.load().devices().get("bench-1"))
                .isEqualTo(new WriteSession.DeviceState(StatusKind.FAIL, "bad"));
    }

    @Test
    void pagesTheDevicesInSeqOrderBoundedByASeqWithTheHighWaterOfTheSameView() {
        commit("c", "a", "b"); // seqs 1, 2, 3
        commit("c"); // c moves to seq 4

        Snapshot first = store.devicesBySeq(0, Long.MAX_VALUE, 2);
        assertThat(first.devices()).extracting(StoredEvent::deviceId).containsExactly("a", "b");
        assertThat(first.highWater()).isEqualTo(4);
        assertThat(store.devicesBySeq(3, Long.MAX_VALUE, 2).devices()).extracting(StoredEvent::seq).containsExactly(4L);
        assertThat(store.devicesBySeq(0, 3, 10).devices()).extracting(StoredEvent::deviceId).containsExactly("a", "b");
        assertThat(store.devicesBySeq(4, Long.MAX_VALUE, 10).devices()).isEmpty();
    }

    @Test
    void pagesTheDevicesByIdAfterAnExclusiveIdWithTheHighWaterOfTheSameView() {
        commit("c", "a", "b"); // seqs 1, 2, 3
        commit("a"); // a moves to seq 4

        Snapshot first = store.devicesAfter(null, 2);
        assertThat(first.devices()).extracting(StoredEvent::deviceId).containsExactly("a", "b");
        assertThat(first.devices()).extracting(StoredEvent::seq).containsExactly(4L, 3L);
        assertThat(first.highWater()).isEqualTo(4);
        assertThat(store.devicesAfter("b", 2).devices()).extracting(StoredEvent::deviceId).containsExactly("c");
        assertThat(store.devicesAfter("a", 1).devices()).extracting(StoredEvent::deviceId).containsExactly("b");
        assertThat(store.devicesAfter("c", 2).devices()).isEmpty();
        assertThat(store.devicesAfter("", 10).devices()).hasSize(3);
    }

    @Test
    void listsEveryDevicesLastStatusKindInIdOrderWithoutItsText() {
        long seq = session.begin();
        session.append(event(seq + 1, "b", StatusKind.OFFLINE, null), null, null, 0, 1);
        session.append(event(seq + 2, "a", StatusKind.ONLINE, null), null, null, 0, 1);
        session.append(event(seq + 3, "a", StatusKind.FAIL, "bad"), "bad", null, 0, 1);
        session.commit(seq + 3);

        assertThat(store.lastStatusKinds()).containsExactly(new StoredEvent(seq + 3, "a", StatusKind.FAIL, ""),
                new StoredEvent(seq + 1, "b", StatusKind.OFFLINE, ""));
    }

    @Test
    void remembersAgentMarksOnlyOnceCommitted() {
        long seq = session.begin();
        session.append(event(seq + 1, "bench-1", StatusKind.SUCCESS, null), null, "rig-1", 41, 1);
        session.saveAgentMark("rig-1", 41);
        assertThat(store.agentMark("rig-1")).isZero();
        session.commit(seq + 1);

        assertThat(store.agentMark("rig-1")).isEqualTo(41);
        assertThat(store.agentMark("rig-2")).isZero();
        assertThat(session.load().agentMarks()).containsEntry("rig-1", 41L);
        session.begin();
        assertThat(session.agentMark("rig-1")).isEqualTo(41);
        session.rollback();
    }

    @Test
    void findsTheEventOfAnIdempotencyKeyInItsOwnBatchAndLater() {
        long seq = session.begin();
        StoredEvent first = event(seq + 1, "bench-1", StatusKind.FAIL, null);
        session.append(first, null, null, 0, System.currentTimeMillis());
        session.saveIdempotent("key-1", first.seq(), System.currentTimeMillis());
        assertThat(session.findIdempotent("key-1")).contains(first);
        session.commit(seq + 1);

        session.begin();
        assertThat(session.findIdempotent("key-1")).contains(first);
        assertThat(session.findIdempotent("key-2")).isEmpty();
        session.rollback();
    }

    @Test
    void retentionDropsOldEventsButKeepsDevicesAndTheLatestSeq() {
        long seq = session.begin();
        session.append(event(seq + 1, "bench-1", StatusKind.SUCCESS, null), null, null, 0, 1_000);
        session.saveIdempotent("old", seq + 1, 1_000);
        session.append(event(seq + 2, "bench-2", StatusKind.SUCCESS, null), null, null, 0, 5_000);
        session.commit(seq + 2);

        session.begin();
        assertThat(session.purge(2_000)).isEqualTo(1);
        session.commit(2);

        assertThat(store.oldestSeq()).isEqualTo(2);
        assertThat(store.eventCount()).isEqualTo(1);
        assertThat(store.latestSeq()).isEqualTo(2);
        assertThat(store.lastStatus("bench-1")).isPresent();
        session.begin();
        assertThat(session.findIdempotent("old")).isEmpty();
        session.rollback();
    }

    @Test
    void retentionDeletesInChunksOfTheOldestExpiredEventsAndKeys() {
        long seq = session.begin();
        for (long storedMillis : new long[] {5_000, 1_000, 3_000, 2_000, 9_000}) {
            seq++;
            session.append(event(seq, "bench-" + seq, StatusKind.SUCCESS, null), null, null, 0, storedMillis);
            session.saveIdempotent("key-" + seq, seq, storedMillis);
        }
        session.commit(seq);

        session.begin();
        assertThat(session.purge(6_000, 2)).isEqualTo(2);
        session.commit(seq);
        assertThat(store.eventsAfter(0, null, 10)).extracting(StoredEvent::seq).containsExactly(1L, 3L, 5L);
        session.begin();
        assertThat(session.findIdempotent("key-2")).as("stored at 1,000").isEmpty();
        assertThat(session.findIdempotent("key-4")).as("stored at 2,000").isEmpty();
        assertThat(session.findIdempotent("key-3")).as("stored at 3,000: the next chunk's").isPresent();

        assertThat(session.purge(6_000, 2)).isEqualTo(2);
        assertThat(session.purge(6_000, 2)).as("nothing left before the cut-off").isZero();
        session.commit(seq);
        assertThat(store.eventsAfter(0, null, 10)).extracting(StoredEvent::seq).containsExactly(5L);
        assertThat(store.eventCount()).isEqualTo(1);
        assertThat(store.latestSeq()).isEqualTo(5);
        session.begin();
        assertThat(session.findIdempotent("key-3")).isEmpty();
        assertThat(session.findIdempotent("key-5")).isPresent();
        session.rollback();
    }

    @Test
    void namesItsLocationWithoutSecrets() {
        assertThat(store.location()).isNotBlank().doesNotContain("password=s");
    }
}
