package io.benchlink.gateway.subscribe;

import static io.benchlink.gateway.subscribe.ListStore.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.benchlink.common.status.StatusKind;
import io.benchlink.gateway.protocol.CloseCodes;
import io.benchlink.gateway.store.StoredEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One subscriber's switch-over from catch-up to live (PROTOCOL.md §2): live batches wait during the catch-up, and at
 * the switch only what is newer than the last event sent goes out, so the client sees no gap and no duplicate; a
 * subscriber over its buffer is closed with 1013 and told where to resume.
 */
class SubscriptionTest {
    private final RecordingOutlet outlet = new RecordingOutlet();
    private final HubStats stats = new HubStats();

    private Subscription subscription(int buffer) {
        return new Subscription(outlet, null, buffer, stats);
    }

    private static FrameBatch batch(long... seqs) {
        List<StoredEvent> events = new ArrayList<>();
        for (long seq : seqs) {
            events.add(event(seq, "bench-1"));
        }
        return new FrameBatch(events);
    }

    private static List<StoredEvent> events(long... seqs) {
        List<StoredEvent> events = new ArrayList<>();
        for (long seq : seqs) {
            events.add(event(seq, "bench-1"));
        }
        return events;
    }

    @Test
    void aLiveSubscriberGetsEachLiveBatchAsOneSendAndAFlush() {
        Subscription s = subscription(100);
        s.goLive();
        s.offerLive(batch(1, 2, 3), false);

        assertThat(outlet.seqs()).containsExactly(1L, 2L, 3L);
        assertThat(outlet.sends).containsExactly(3);
        assertThat(outlet.flushes).isEqualTo(2); // the switch, then the batch
        assertThat(stats.delivered.get(StatusKind.SUCCESS)).isEqualTo(3);
    }

    @Test
    void liveBatchesDuringTheCatchUpWaitAndOnlyThoseNewerThanTheReplayGoOutAtTheSwitch() {
        Subscription s = subscription(100);
        s.startAfter(10);
        s.offerLive(batch(11, 12), false); // committed while the replay was still reading
        s.offerLive(batch(13, 14, 15), false);
        assertThat(outlet.texts).as("nothing live before the switch").isEmpty();

        assertThat(s.sendCatchUp(events(11, 12, 13))).isTrue();
        s.goLive();
        s.offerLive(batch(16), false);

        assertThat(outlet.seqs()).as("no gap, no duplicate").containsExactly(11L, 12L, 13L, 14L, 15L, 16L);
        assertThat(stats.replayed.sum()).isEqualTo(3);
        assertThat(stats.delivered.get(StatusKind.SUCCESS)).as("replayed and live, each once").isEqualTo(6);
    }

    @Test
    void aLiveBatchAtOrBelowTheLastSentSeqIsDroppedWhole() {
        Subscription s = subscription(100);
        s.startAfter(20);
        s.goLive();
        s.offerLive(batch(19, 20), false);

        assertThat(outlet.texts).isEmpty();
        assertThat(stats.delivered.total()).isZero();
    }

    @Test
    void aLiveBatchJustAboveTheLastSentSeqGoesOutWhole() {
        Subscription s = subscription(100);
        s.startAfter(20);
        s.goLive();
        s.offerLive(batch(21, 22), false);

        assertThat(outlet.sends).containsExactly(2);
        assertThat(outlet.seqs()).containsExactly(21L, 22L);
    }

    @Test
    void theSnapshotsHighWaterHidesLiveEventsTheSnapshotAlreadyReflects() {
        Subscription s = subscription(100);
        s.offerLive(batch(5, 6), false);
        assertThat(s.sendCatchUp(event(4, "bench-1"))).isTrue(); // a snapshot entry
        s.startAfter(6); // the snapshot's high water
        s.goLive();

        assertThat(outlet.seqs()).containsExactly(4L);
    }

    @Test
    void aLiveBatchThatWouldOverflowTheBufferClosesWith1013AndNamesTheSeqToResumeFrom() {
        Subscription s = subscription(4);
        s.goLive();
        s.offerLive(batch(1, 2), false);
        s.offerLive(batch(3, 4, 5), false);

        assertThat(outlet.seqs()).containsExactly(1L, 2L);
        assertThat(outlet.closeCode).isEqualTo(CloseCodes.TRY_AGAIN_LATER);
        assertThat(outlet.closeReason).isEqualTo("subscriber fell behind; reconnect with since=2");
        assertThat(stats.fellBehind.sum()).isEqualTo(1);
        assertThat(s.isClosed()).isTrue();

        outlet.open = true; // whatever the socket does now, the subscriber is done
        outlet.drain();
        s.offerLive(batch(6), false);
        assertThat(outlet.seqs()).containsExactly(1L, 2L);
        assertThat(stats.fellBehind.sum()).isEqualTo(1);
    }

    @Test
    void aBatchThatFillsTheBufferExactlyStillGoesOut() {
        Subscription s = subscription(4);
        s.goLive();
        s.offerLive(batch(1, 2), false);
        s.offerLive(batch(3, 4), false);

        assertThat(outlet.seqs()).containsExactly(1L, 2L, 3L, 4L);
        assertThat(outlet.closeCode).isNull();
    }

    @Test
    void aDrainedBacklogMakesRoomAgain() {
        Subscription s = subscription(4);
        s.goLive();
        s.offerLive(batch(1, 2, 3, 4), false);
        outlet.drain();
        s.offerLive(batch(5, 6, 7, 8), false);

        assertThat(outlet.seqs()).hasSize(8);
        assertThat(outlet.closeCode).isNull();
    }

    @Test
    void liveEventsPilingUpDuringTheCatchUpBeyondTheBufferAreLeftToTheStoreInsteadOfClosingTheSubscriber() {
        Subscription s = subscription(4);
        s.startAfter(10);
        s.offerLive(batch(11, 12), false);
        s.offerLive(batch(13, 14), false);
        s.offerLive(batch(15), false); // one over the buffer: all five are dropped, the store has them

        assertThat(outlet.closeCode).isNull();
        assertThat(s.waiting()).as("what was dropped holds no memory").isZero();
        assertThat(s.goLive()).as("not live yet: the catch-up reads the store again").isFalse();
        assertThat(outlet.texts).isEmpty();
        assertThat(s.replayFrom()).isEqualTo(10);

        assertThat(s.sendCatchUp(events(11, 12, 13, 14))).isTrue();
        outlet.drain();
        s.offerLive(batch(15, 16), false); // 15 arrives again with the replay's next page; 16 is new
        assertThat(s.goLive()).isTrue();
        assertThat(outlet.seqs()).containsExactly(11L, 12L, 13L, 14L, 15L, 16L);
    }

    @Test
    void exactlyTheBufferStillWaitsForTheSwitch() {
        Subscription s = subscription(4);
        s.startAfter(0);
        s.offerLive(batch(1, 2), false);
        s.offerLive(batch(3, 4), false);

        assertThat(s.goLive()).isTrue();
        assertThat(outlet.seqs()).containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    void pendingLiveEventsThatDoNotFitAtTheSwitchWaitOnWhileTheReplayGoesOn() {
        Subscription s = subscription(4);
        s.offerLive(batch(3), false);
        s.offerLive(batch(4, 5), false);
        outlet.backlog = 2; // the replay's last page is still being written
        s.startAfter(2);

        assertThat(s.goLive()).isFalse();
        assertThat(outlet.seqs()).as("3 fitted; 4 and 5 do not yet").containsExactly(3L);
        assertThat(s.replayFrom()).isEqualTo(3);
        assertThat(s.waiting()).isEqualTo(2);
        assertThat(outlet.closeCode).isNull();

        outlet.drain();
        s.offerLive(batch(6, 7), false); // 2 + 2 waiting: exactly the buffer, nothing dropped
        assertThat(s.goLive()).isTrue();
        assertThat(outlet.seqs()).containsExactly(3L, 4L, 5L, 6L, 7L);
    }

    @Test
    void aSubscriberWithNeitherSinceNorSnapshotResumesJustBeforeTheFirstEventItMissed() {
        Subscription s = subscription(2);
        s.offerLive(batch(41, 42), false);
        s.offerLive(batch(43), false); // over the buffer before its catch-up even began

        assertThat(s.goLive()).isFalse();
        assertThat(s.replayFrom()).as("not from the start of the store").isEqualTo(40);
    }

    @Test
    void aLiveBatchPartlySentByTheReplayGoesOutEventByEventFromTheFirstNewOne() {
        Subscription s = subscription(100);
        s.offerLive(batch(7, 8, 9, 10), false);
        assertThat(s.sendCatchUp(events(6, 7, 8))).isTrue();
        s.goLive();

        assertThat(outlet.seqs()).containsExactly(6L, 7L, 8L, 9L, 10L);
        assertThat(outlet.sends).containsExactly(3, 1, 1);
        assertThat(stats.delivered.get(StatusKind.SUCCESS)).isEqualTo(5);
    }

    @Test
    void deliveredStatusesAreCountedByKind() {
        Subscription s = subscription(100);
        s.goLive();
        s.offerLive(new FrameBatch(List.of(event(1, "a", StatusKind.FAIL), event(2, "a", StatusKind.OFFLINE),
                event(3, "b", StatusKind.FAIL))), false);
        s.offerLive(new FrameBatch(List.of(event(4, "a", StatusKind.ERROR))), false);

        assertThat(stats.delivered.get(StatusKind.FAIL)).isEqualTo(2);
        assertThat(stats.delivered.get(StatusKind.OFFLINE)).isEqualTo(1);
        assertThat(stats.delivered.get(StatusKind.ERROR)).isEqualTo(1);
        assertThat(stats.delivered.get(StatusKind.SUCCESS)).isZero();
    }

    @Test
    void anEventSentByTheReplayIsNotCountedAgainWhenItsLiveBatchGoesOut() {
        Subscription s = subscription(100);
        s.offerLive(new FrameBatch(List.of(event(1, "a", StatusKind.FAIL), event(2, "a", StatusKind.ERROR))), false);
        s.sendCatchUp(event(1, "a", StatusKind.FAIL));
        s.goLive();

        assertThat(stats.delivered.get(StatusKind.FAIL)).isEqualTo(1);
        assertThat(stats.delivered.get(StatusKind.ERROR)).isEqualTo(1);
    }

    @Test
    void aCatchUpPageOverTheBufferIsRefusedAndClosesTheSubscriberWith1013() {
        Subscription s = subscription(2);
        outlet.backlog = 1;

        assertThat(s.sendCatchUp(events(1, 2))).isFalse();
        assertThat(outlet.texts).isEmpty();
        assertThat(outlet.closeCode).isEqualTo(CloseCodes.TRY_AGAIN_LATER);
        assertThat(stats.replayed.sum()).isZero();
    }

    @Test
    void aCatchUpPageIsSentAndFlushedAndCountedAsReplayed() {
        Subscription s = subscription(10);

        assertThat(s.sendCatchUp(events(1, 2))).isTrue();
        assertThat(outlet.sends).containsExactly(2);
        assertThat(outlet.flushes).isEqualTo(1);
        assertThat(stats.replayed.sum()).isEqualTo(2);
    }

    @Test
    void aClosedSubscriberTakesNoMoreCatchUpOrLiveEvents() {
        Subscription s = subscription(10);
        s.markClosed();

        assertThat(s.isClosed()).isTrue();
        assertThat(s.sendCatchUp(events(1))).isFalse();
        s.offerLive(batch(2), false);
        s.goLive();
        s.offerLive(batch(3), false);
        assertThat(outlet.texts).isEmpty();
        assertThat(outlet.closeCode).as("closing is the connection's business").isNull();
    }

    @Test
    void aSubscriberWhoseConnectionWentAwayIsMarkedClosedWithoutAClose() {
        Subscription s = subscription(10);
        s.goLive();
        outlet.open = false;
        s.offerLive(batch(1), false);

        assertThat(s.isClosed()).isTrue();
        assertThat(outlet.texts).isEmpty();
        assertThat(outlet.closeCode).isNull();
        assertThat(stats.fellBehind.sum()).isZero();
    }

    @Test
    void itsBacklogAndBufferAreTheConnectionsAndItsOwn() {
        Subscription s = new Subscription(outlet, "bench-7", 42, stats);
        outlet.backlog = 17;

        assertThat(s.backlog()).isEqualTo(17);
        assertThat(s.bufferLimit()).isEqualTo(42);
        assertThat(s.deviceId()).isEqualTo("bench-7");
        assertThat(s.outlet()).isSameAs(outlet);
    }
}
