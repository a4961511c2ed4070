package io.benchlink.gateway.subscribe;

import static org.assertj.core.api.Assertions.assertThat;

import io.benchlink.gateway.protocol.CloseCodes;
import io.benchlink.gateway.store.StoreException;
import io.benchlink.gateway.testing.ManualScheduler;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * A new subscriber's catch-up (PROTOCOL.md §2): snapshot, then the replay after {@code since} page by page, then
 * live, each frame with a higher seq than the one before; paced by the subscriber's backlog instead of overflowing
 * its buffer. The store is an in-memory log and the replay executor runs steps when the test says so.
 */
class CatchUpTest {
    private final ListStore store = new ListStore();
    private final ManualScheduler replay = new ManualScheduler();
    private final RecordingOutlet outlet = new RecordingOutlet();
    private final HubStats stats = new HubStats();

    private Subscription subscription(String deviceId, int buffer) {
        return new Subscription(outlet, deviceId, buffer, stats);
    }

    private void storeEvents(long from, long to, String deviceId) {
        LongStream.rangeClosed(from, to).forEach(seq -> store.add(seq, deviceId));
    }

    private static List<Long> seqs(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().toList();
    }

    @Test
    void withoutSnapshotOrSinceItGoesLiveAtOnceAndReadsNothing() {
        storeEvents(1, 3, "bench-1");
        Subscription s = subscription(null, 100);
        new CatchUp(s, store, replay, false, -1).run();
        s.offerLive(new FrameBatch(List.of(ListStore.event(4, "bench-1"))), false);

        assertThat(outlet.seqs()).containsExactly(4L);
        assertThat(store.pages).isEmpty();
        assertThat(store.snapshots).isZero();
        assertThat(replay.waiting()).isZero();
    }

    @Test
    void sinceReplaysEveryLaterEventInPagesOfHalfTheBufferThenGoesLive() {
        storeEvents(1, 12, "bench-1");
        Subscription s = subscription(null, 10);
        new CatchUp(s, store, replay, false, 2).run();
        outlet.drain();
        while (replay.runNext()) {
            outlet.drain();
        }
        s.offerLive(new FrameBatch(List.of(ListStore.event(13, "bench-1"))), false);

        assertThat(outlet.seqs()).isEqualTo(seqs(3, 13));
        assertThat(store.pages).containsExactly("2/5", "7/5", "12/5");
        assertThat(outlet.sends).containsExactly(5, 5, 1);
        assertThat(replay.delays).as("each full page schedules the next at once").containsExactly(0L, 0L);
        assertThat(stats.replayed.sum()).isEqualTo(10);
    }

    @Test
    void aPageIsAtMostFiveHundredEvents() {
        storeEvents(1, 3, "bench-1");
        new CatchUp(subscription(null, 10_000), store, replay, false, 0).run();

        assertThat(store.pages).containsExactly("0/500");
    }

    @Test
    void aBufferOfOneStillReplaysOneEventAPage() {
        storeEvents(1, 2, "bench-1");
        Subscription s = subscription(null, 1);
        new CatchUp(s, store, replay, false, 0).run();
        outlet.drain();
        replay.runNext();
        outlet.drain();
        replay.runAll();

        assertThat(store.pages).startsWith("0/1", "1/1");
        assertThat(outlet.seqs()).containsExactly(1L, 2L);
    }

    @Test
    void theReplayWaitsWhileTheBacklogIsAboveHalfTheBuffer() {
        storeEvents(1, 20, "bench-1");
        Subscription s = subscription(null, 10);
        new CatchUp(s, store, replay, false, 0).run(); // page 1..5, backlog 5: exactly half, may go on
        replay.runNext(); // backlog 5 still: page 6..10
        assertThat(outlet.seqs()).isEqualTo(seqs(1, 10));
        replay.runNext(); // backlog 10: waits

        assertThat(store.pages).hasSize(2);
        assertThat(replay.lastDelay()).as("a pause, not a spin").isEqualTo(20L);
        assertThat(outlet.closeCode).isNull();

        do {
            outlet.drain();
        } while (replay.runNext());
        assertThat(outlet.seqs()).isEqualTo(seqs(1, 20));
    }

    @Test
    void liveEventsCommittedDuringTheReplayFollowItWithoutGapOrDuplicate() {
        storeEvents(1, 12, "bench-1");
        Subscription s = subscription(null, 10);
        CatchUp catchUp = new CatchUp(s, store, replay, false, 0);
        catchUp.run(); // 1..5
        outlet.drain();
        store.add(13, "bench-1"); // committed by the writer meanwhile, and offered live
        s.offerLive(new FrameBatch(List.of(ListStore.event(13, "bench-1"))), false);
        store.add(14, "bench-1");
        s.offerLive(new FrameBatch(List.of(ListStore.event(14, "bench-1"))), false);
        while (replay.runNext()) {
            outlet.drain();
        }

        assertThat(outlet.seqs()).isEqualTo(seqs(1, 14));
    }

    @Test
    void sinceAtTheNewestSeqReplaysNothingAndGoesLive() {
        storeEvents(1, 5, "bench-1");
        Subscription s = subscription(null, 10);
        new CatchUp(s, store, replay, false, 5).run();
        s.offerLive(new FrameBatch(List.of(ListStore.event(5, "bench-1"), ListStore.event(6, "bench-1"))), false);

        assertThat(outlet.seqs()).containsExactly(6L);
        assertThat(replay.waiting()).isZero();
    }

    @Test
    void aDeviceSubscriberIsReplayedOnlyItsOwnDevice() {
        store.add(1, "bench-1");
        store.add(2, "bench-2");
        store.add(3, "bench-1");
        new CatchUp(subscription("bench-1", 10), store, replay, false, 0).run();

        assertThat(outlet.seqs()).containsExactly(1L, 3L);
    }

    @Test
    void theSnapshotSendsEachDevicesLastStatusInSeqOrderThenLiveAboveItsHighWater() {
        store.add(1, "bench-b");
        store.add(2, "bench-a");
        store.add(3, "bench-c");
        store.add(4, "bench-b");
        Subscription s = subscription(null, 10);
        new CatchUp(s, store, replay, true, -1).run();
        s.offerLive(new FrameBatch(List.of(ListStore.event(4, "bench-b"), ListStore.event(5, "bench-a"))), false);

        assertThat(outlet.seqs()).as("bench-a 2, bench-c 3, bench-b 4, then live 5").containsExactly(2L, 3L, 4L, 5L);
        assertThat(store.pages).as("no replay without since").isEmpty();
    }

    @Test
    void liveEventsWaitingDuringTheSnapshotAreSentOnceAfterIt() {
        store.add(1, "bench-a");
        store.add(2, "bench-b");
        Subscription s = subscription(null, 10);
        s.offerLive(new FrameBatch(List.of(ListStore.event(2, "bench-b"), ListStore.event(3, "bench-a"))), false);
        new CatchUp(s, store, replay, true, -1).run();

        assertThat(outlet.seqs()).containsExactly(1L, 2L, 3L);
    }

    @Test
    void snapshotWithSinceSendsOnlyDevicesNotNewerThanSinceThenReplaysTheRest() {
        store.add(1, "bench-a");
        store.add(2, "bench-b");
        store.add(3, "bench-c");
        store.add(4, "bench-a");
        Subscription s = subscription(null, 10);
        new CatchUp(s, store, replay, true, 2).run();

        assertThat(outlet.seqs()).as("bench-b 2 from the snapshot; bench-c 3 and bench-a 4 replayed")
                .containsExactly(2L, 3L, 4L);
        assertThat(store.pages).containsExactly("2/5");
    }

    @Test
    void aDeviceWhoseLastStatusIsExactlySinceIsInTheSnapshot() {
        store.add(1, "bench-a");
        store.add(2, "bench-b");
        new CatchUp(subscription(null, 10), store, replay, true, 1).run();

        assertThat(outlet.seqs()).containsExactly(1L, 2L);
    }

    @Test
    void theSnapshotWaitsWhileTheBacklogIsAtTheBufferAndResumesWhereItStopped() {
        for (int i = 1; i <= 6; i++) {
            store.add(i, "bench-" + i);
        }
        Subscription s = subscription(null, 4);
        new CatchUp(s, store, replay, true, -1).run();

        assertThat(outlet.seqs()).containsExactly(1L, 2L, 3L, 4L);
        assertThat(replay.lastDelay()).isEqualTo(20L);
        assertThat(outlet.closeCode).isNull();

        outlet.backlog = 3;
        replay.runNext();
        assertThat(outlet.seqs()).containsExactly(1L, 2L, 3L, 4L, 5L);
        outlet.drain();
        replay.runAll();
        assertThat(outlet.seqs()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(store.snapshots).as("read once, sent in parts").isEqualTo(1);
    }

    @Test
    void aStoreFailingDuringTheReplayClosesTheSubscriberWith1011() {
        store.failing = new StoreException("disk I/O error", null);
        Subscription s = subscription(null, 10);
        new CatchUp(s, store, replay, false, 0).run();

        assertThat(outlet.closeCode).isEqualTo(CloseCodes.SERVER_ERROR);
        assertThat(outlet.closeReason).isEqualTo("replay failed");
        assertThat(s.isClosed()).isTrue();
    }

    @Test
    void aSubscriberClosedBeforeItsTurnIsNotCaughtUp() {
        storeEvents(1, 3, "bench-1");
        Subscription s = subscription(null, 10);
        s.markClosed();
        new CatchUp(s, store, replay, true, 0).run();

        assertThat(store.snapshots).isZero();
        assertThat(store.pages).isEmpty();
    }

    @Test
    void liveEventsOverTheBufferDuringTheReplayAreReadFromTheStoreInsteadOfClosingTheSubscriber() {
        storeEvents(1, 12, "bench-1");
        Subscription s = subscription(null, 10);
        new CatchUp(s, store, replay, false, 0).run(); // 1..5
        storeEvents(13, 23, "bench-1"); // committed meanwhile, then offered live: 11 waiting, over the buffer
        s.offerLive(new FrameBatch(LongStream.rangeClosed(13, 23).mapToObj(q -> ListStore.event(q, "bench-1"))
                .toList()), false);
        store.add(24, "bench-1");
        s.offerLive(new FrameBatch(List.of(ListStore.event(24, "bench-1"))), false);
        do {
            outlet.drain();
        } while (replay.runNext());

        assertThat(outlet.closeCode).isNull();
        assertThat(outlet.seqs()).as("every event once, in order").isEqualTo(seqs(1, 24));
        store.add(25, "bench-1");
        s.offerLive(new FrameBatch(List.of(ListStore.event(25, "bench-1"))), false);
        assertThat(outlet.seqs()).as("live now").endsWith(25L);
    }

    @Test
    void liveEventsOverTheBufferDuringTheSnapshotAreReadFromTheStoreAfterItsBound() {
        store.add(1, "bench-a");
        store.add(2, "bench-b");
        store.add(3, "bench-c");
        Subscription s = subscription(null, 2);
        new CatchUp(s, store, replay, true, -1).run(); // bound 3; bench-a and bench-b fill the buffer, then it waits
        assertThat(outlet.seqs()).containsExactly(1L, 2L);
        store.add(4, "bench-a");
        store.add(5, "bench-b");
        store.add(6, "bench-c");
        s.offerLive(new FrameBatch(List.of(ListStore.event(4, "bench-a"), ListStore.event(5, "bench-b"),
                ListStore.event(6, "bench-c"))), false); // three waiting: over the buffer of 2
        do {
            outlet.drain();
        } while (replay.runNext());

        assertThat(outlet.closeCode).isNull();
        assertThat(outlet.seqs()).as("the snapshot to its bound, then the missed events from the store, once each")
                .containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    }
}
