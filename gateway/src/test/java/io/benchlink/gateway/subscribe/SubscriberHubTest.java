package io.benchlink.gateway.subscribe;

import static io.benchlink.gateway.subscribe.ListStore.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.benchlink.gateway.testing.ManualScheduler;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Routing committed batches to subscribers by filter, and the subscriber limit (PROTOCOL.md §2, §8). */
class SubscriberHubTest {
    private final ListStore store = new ListStore();
    private final ManualScheduler replay = new ManualScheduler();
    private final SubscriberHub hub = new SubscriberHub(store, replay, 2);

    private Subscription live(RecordingOutlet outlet, String deviceId) {
        Subscription s = hub.subscribe(outlet, deviceId, false, -1, 100);
        replay.runAll();
        return s;
    }

    @Test
    void eachCommittedEventReachesTheAllSubscriberAndItsOwnDevicesSubscribersOnly() {
        RecordingOutlet all = new RecordingOutlet();
        RecordingOutlet one = new RecordingOutlet();
        live(all, null);
        live(one, "bench-2");
        hub.committed(List.of(event(1, "bench-1"), event(2, "bench-2"), event(3, "bench-3"), event(4, "bench-2")));

        assertThat(all.seqs()).containsExactly(1L, 2L, 3L, 4L);
        assertThat(all.sends).as("one batch for the all filter").containsExactly(4);
        assertThat(one.seqs()).containsExactly(2L, 4L);
        assertThat(one.sends).containsExactly(2);
    }

    @Test
    void aBatchWithNoEventForADeviceSubscriberSendsItNothing() {
        RecordingOutlet one = new RecordingOutlet();
        live(one, "bench-9");
        hub.committed(List.of(event(1, "bench-1")));

        assertThat(one.texts).isEmpty();
        assertThat(one.flushes).isEqualTo(1); // its switch to live only
    }

    @Test
    void aNewSubscriberIsRegisteredBeforeItsCatchUpRunsSoNothingCommittedMeanwhileIsMissed() {
        store.add(1, "bench-1");
        RecordingOutlet outlet = new RecordingOutlet();
        hub.subscribe(outlet, null, false, 0, 100);
        store.add(2, "bench-1");
        hub.committed(List.of(event(2, "bench-1")));
        replay.runAll();

        assertThat(outlet.seqs()).containsExactly(1L, 2L);
    }

    @Test
    void pastTheSubscriberLimitSubscribeRefusesUntilOneLeaves() {
        Subscription first = live(new RecordingOutlet(), null);
        live(new RecordingOutlet(), "bench-1");

        assertThat(hub.subscribe(new RecordingOutlet(), null, false, -1, 100)).isNull();
        assertThat(hub.size()).isEqualTo(2);

        hub.unsubscribe(first);
        assertThat(hub.size()).isEqualTo(1);
        assertThat(hub.subscribe(new RecordingOutlet(), null, false, -1, 100)).isNotNull();
    }

    @Test
    void unsubscribingTwiceFreesOnePlace() {
        Subscription device = live(new RecordingOutlet(), "bench-1");
        live(new RecordingOutlet(), null);
        hub.unsubscribe(device);
        hub.unsubscribe(device);

        assertThat(hub.size()).isEqualTo(1);
    }

    @Test
    void anUnsubscribedSubscriberGetsNothingMore() {
        RecordingOutlet all = new RecordingOutlet();
        RecordingOutlet one = new RecordingOutlet();
        hub.unsubscribe(live(all, null));
        hub.unsubscribe(live(one, "bench-1"));
        hub.committed(List.of(event(1, "bench-1")));

        assertThat(all.texts).isEmpty();
        assertThat(one.texts).isEmpty();
        assertThat(hub.size()).isZero();
    }

    @Test
    void twoSubscribersOfOneDeviceBothGetItsEventsAndOneLeavingKeepsTheOther() {
        RecordingOutlet a = new RecordingOutlet();
        RecordingOutlet b = new RecordingOutlet();
        Subscription first = live(a, "bench-1");
        live(b, "bench-1");
        hub.committed(List.of(event(1, "bench-1")));
        hub.unsubscribe(first);
        hub.committed(List.of(event(2, "bench-1")));

        assertThat(a.seqs()).containsExactly(1L);
        assertThat(b.seqs()).containsExactly(1L, 2L);
    }

    @Test
    void theHubCountsWhatItsSubscribersWereSent() {
        live(new RecordingOutlet(), null);
        hub.committed(List.of(event(1, "bench-1")));

        assertThat(hub.stats().delivered.total()).isEqualTo(1);
    }
}
