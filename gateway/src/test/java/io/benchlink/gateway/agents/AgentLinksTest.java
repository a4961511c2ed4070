package io.benchlink.gateway.agents;

import static org.assertj.core.api.Assertions.assertThat;

import io.benchlink.common.protocol.AgentFrameCodec;
import io.benchlink.common.status.DeviceStatus;
import io.benchlink.common.status.StatusKind;
import io.benchlink.common.testing.TestClock;
import io.benchlink.common.time.WallClock;
import io.benchlink.gateway.store.WriteCommand;
import io.benchlink.gateway.store.WriteSession.DeviceState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The link decisions without sockets or a store: timers run when the test says so, and the writer is a list of
 * the commands it was handed (its guards are asked as the writer would ask them).
 */
class AgentLinksTest {
    private static final Duration GRACE = Duration.ofSeconds(3);
    private static final DeviceState LOST = new DeviceState(StatusKind.OFFLINE, AgentLinks.LINK_LOST);

    private final TestClock time = new TestClock(Instant.parse("2026-03-02T08:00:00Z"));
    private final WallClock clock = new WallClock(time);
    private final AgentFrameCodec codec = new AgentFrameCodec(clock);
    private final ManualTimers timers = new ManualTimers();
    private final List<WriteCommand> commands = new ArrayList<>();
    private boolean writerFull;
    private final AgentLinks links = new AgentLinks(timers, GRACE, c -> !writerFull && commands.add(c), clock);

    private AgentSession hello(String agentId, String... devices) {
        AgentSession session = new AgentSession(null, codec, agentId, List.of(devices));
        links.attach(session);
        links.resumed(session);
        return session;
    }

    private List<WriteCommand.Publish> publishes(StatusKind kind) {
        return commands.stream().filter(WriteCommand.Publish.class::isInstance).map(WriteCommand.Publish.class::cast)
                .filter(p -> p.statuses().get(0).status() == kind).toList();
    }

    /** What the writer would store of a publish, given each device's last state. */
    private static List<String> admitted(WriteCommand.Publish publish, DeviceState last) {
        return publish.statuses().stream().filter(s -> publish.guard().admit(s.deviceId(), last))
                .map(s -> s.deviceId() + " " + s.status().wireName()).toList();
    }

    @Test
    void onASharedStoreTheClusterDecidesOwnershipAndTheWelcomeMarkIsAtLeastWhatAnyGatewayStored() {
        List<String> asked = new ArrayList<>();
        AgentLinks clustered = new AgentLinks(timers, GRACE, c -> commands.add(c), clock, new AgentLinks.SharedLinks() {
            @Override
            public void up(String agentId, List<String> devices) {
            }

            @Override
            public void lost(String agentId) {
            }

            @Override
            public void stopped(String agentId) {
            }

            @Override
            public java.util.Map<String, String> claim(String agentId, List<String> devices) {
                asked.add(agentId + " " + devices);
                return devices.stream().collect(java.util.stream.Collectors.toMap(d -> d,
                        d -> d.equals("bench-7") ? "rig-7" : agentId));
            }

            @Override
            public long storedMark(String agentId) {
                return 41;
            }
        });
        clustered.attach(new AgentSession(null, codec, "rig-1", List.of("bench-1")));

        assertThat(clustered.mayReport("rig-1", "bench-1")).as("confirmed by the hello's claim").isTrue();
        assertThat(clustered.mayReport("rig-1", "bench-7")).as("owned by an agent of another gateway").isFalse();
        assertThat(clustered.owner("bench-7")).hasValue("rig-7");
        assertThat(clustered.ownershipConflicts()).isEqualTo(1);
        assertThat(asked).containsExactly("rig-1 [bench-1]", "rig-1 [bench-7]");
        assertThat(clustered.welcomeMark("rig-1", 12)).isEqualTo(41);
        assertThat(clustered.welcomeMark("rig-1", 50)).isEqualTo(50);
        assertThat(links.welcomeMark("rig-1", 12)).as("the embedded store: the writer's mark").isEqualTo(12);
    }

    @Test
    void onASharedStoreLinksAreReportedToTheClusterAndNothingIsPublishedHere() {
        List<String> reported = new ArrayList<>();
        AgentLinks clustered = new AgentLinks(timers, GRACE, c -> commands.add(c), clock, new AgentLinks.SharedLinks() {
            @Override
            public void up(String agentId, List<String> devices) {
                reported.add("up " + agentId + " " + devices);
            }

            @Override
            public void lost(String agentId) {
                reported.add("lost " + agentId);
            }

            @Override
            public void stopped(String agentId) {
                reported.add("stopped " + agentId);
            }

            @Override
            public java.util.Map<String, String> claim(String agentId, List<String> devices) {
                return devices.stream().collect(java.util.stream.Collectors.toMap(d -> d, d -> agentId));
            }

            @Override
            public long storedMark(String agentId) {
                return 0;
            }
        });
        clustered.restarted(List.of(new io.benchlink.gateway.store.StoredEvent(1, "bench-9", StatusKind.SUCCESS,
                "{}")));
        AgentSession session = new AgentSession(null, codec, "rig-1", List.of("bench-1"));
        clustered.attach(session);
        clustered.resumed(session);
        clustered.detach(session);
        timers.runAll();
        AgentSession again = new AgentSession(null, codec, "rig-1", List.of("bench-1"));
        clustered.attach(again);
        clustered.resumed(again);

        assertThat(reported).containsExactly("up rig-1 [bench-1]", "lost rig-1", "up rig-1 [bench-1]");
        assertThat(commands).allMatch(WriteCommand.NewLink.class::isInstance).hasSize(2);
    }

    @Test
    void onASharedStoreAGoodbyeIsTheClustersToPublishAndARelinkedAgentsClaimsAreAskedAgain() {
        List<String> reported = new ArrayList<>();
        java.util.concurrent.atomic.AtomicReference<java.util.function.Consumer<String>> relinked =
                new java.util.concurrent.atomic.AtomicReference<>();
        AgentLinks clustered = new AgentLinks(timers, GRACE, c -> commands.add(c), clock, new AgentLinks.SharedLinks() {
            @Override
            public void up(String agentId, List<String> devices) {
            }

            @Override
            public void lost(String agentId) {
            }

            @Override
            public void stopped(String agentId) {
                reported.add("stopped " + agentId);
            }

            @Override
            public java.util.Map<String, String> claim(String agentId, List<String> devices) {
                reported.add("claim " + agentId + " " + devices);
                return devices.stream().collect(java.util.stream.Collectors.toMap(d -> d, d -> agentId));
            }

            @Override
            public long storedMark(String agentId) {
                return 0;
            }

            @Override
            public void onRelinked(java.util.function.Consumer<String> listener) {
                relinked.set(listener);
            }
        });
        AgentSession session = new AgentSession(null, codec, "rig-1", List.of("bench-1"));
        clustered.attach(session);
        clustered.resumed(session);
        assertThat(clustered.mayReport("rig-1", "bench-1")).isTrue(); // confirmed by the hello: not asked
        relinked.get().accept("rig-1"); // its link was recorded again after a lapsed lease
        assertThat(clustered.mayReport("rig-1", "bench-1")).isTrue(); // asked again
        clustered.goodbye(session);
        timers.runAll();

        assertThat(reported).containsExactly("claim rig-1 [bench-1]", "claim rig-1 [bench-1]", "stopped rig-1");
        assertThat(commands).as("the cluster publishes the goodbye's offline, in one transaction with the link's end")
                .allMatch(WriteCommand.NewLink.class::isInstance);
    }

    @Test
    void aLinkLostForTheWholeGracePeriodTakesItsDevicesOffline() {
        AgentSession link = hello("rig-1", "bench-1", "bench-2");
        links.detach(link);
        assertThat(timers.delays()).containsExactly(GRACE);
        timers.runAll();

        WriteCommand.Publish offline = publishes(StatusKind.OFFLINE).get(0);
        assertThat(offline.statuses()).extracting(DeviceStatus::result).containsOnly(AgentLinks.LINK_LOST);
        assertThat(admitted(offline, null)).containsExactly("bench-1 offline", "bench-2 offline");
        assertThat(links.linksLost()).isEqualTo(1);
        assertThat(links.connected()).isZero();
    }

    @Test
    void aHelloWithinTheGracePeriodCancelsTheOffline() {
        links.detach(hello("rig-1", "bench-1"));
        hello("rig-1", "bench-1");
        timers.runAll();

        assertThat(publishes(StatusKind.OFFLINE)).isEmpty();
    }

    @Test
    void anOfflineAlreadyQueuedIsDroppedWhenAHelloComesBeforeTheWriterAppliesIt() {
        links.detach(hello("rig-1", "bench-1"));
        timers.runAll();
        WriteCommand.Publish offline = publishes(StatusKind.OFFLINE).get(0);
        hello("rig-1", "bench-1");

        assertThat(admitted(offline, null)).isEmpty();
    }

    @Test
    void aReplacedLinkStartsNoGracePeriod() {
        AgentSession old = hello("rig-1", "bench-1");
        AgentSession fresh = new AgentSession(null, codec, "rig-1", List.of("bench-1"));
        assertThat(links.attach(fresh)).isSameAs(old);
        links.detach(old);

        assertThat(timers.delays()).isEmpty();
        assertThat(links.connected()).isEqualTo(1);
    }

    @Test
    void aHelloBringsBackOnlineOnlyDevicesItsLostLinkTookOffline() {
        hello("rig-1", "bench-1");

        assertThat(commands.get(0)).isEqualTo(new WriteCommand.NewLink("rig-1"));
        WriteCommand.Publish online = publishes(StatusKind.ONLINE).get(0);
        assertThat(online.statuses()).extracting(DeviceStatus::result).containsOnly(AgentLinks.LINK_BACK);
        assertThat(admitted(online, LOST)).containsExactly("bench-1 online");
        assertThat(admitted(online, null)).isEmpty();
        assertThat(admitted(online, new DeviceState(StatusKind.OFFLINE, "tester switched off"))).isEmpty();
        assertThat(admitted(online, new DeviceState(StatusKind.SUCCESS, AgentLinks.LINK_LOST))).isEmpty();
    }

    @Test
    void aHelloWithoutDevicesStillLiftsTheWritersFence() {
        hello("rig-1");

        assertThat(commands).containsExactly(new WriteCommand.NewLink("rig-1"));
    }

    @Test
    void aSaturatedWriterGetsTheOfflineAgainASecondLater() {
        links.detach(hello("rig-1", "bench-1"));
        writerFull = true;
        timers.runAll();
        assertThat(timers.delays()).containsExactly(Duration.ofSeconds(1));

        writerFull = false;
        timers.runAll();
        assertThat(publishes(StatusKind.OFFLINE)).hasSize(1);
    }

    @Test
    void aDeviceOfAConnectedAgentIsRefusedToAnotherAgentAndCounted() {
        hello("rig-07", "bench-07");
        hello("rig-08", "bench-08");

        assertThat(links.mayReport("rig-08", "bench-07")).isFalse();
        assertThat(links.mayReport("rig-08", "bench-08")).isTrue();
        assertThat(links.mayReport("rig-07", "bench-07")).isTrue();
        assertThat(links.ownershipConflicts()).isEqualTo(1);
        assertThat(links.owner("bench-07")).hasValue("rig-07");
    }

    @Test
    void aDeviceNobodyListedBelongsToTheFirstAgentThatReportsIt() {
        hello("rig-07");
        hello("rig-08");

        assertThat(links.mayReport("rig-08", "bench-09")).isTrue();
        assertThat(links.mayReport("rig-07", "bench-09")).isFalse();
    }

    @Test
    void theDeviceMovesOnlyOnceItsOwnerIsGonePastTheGracePeriod() {
        AgentSession owner = hello("rig-07", "bench-07");
        hello("rig-08");
        links.detach(owner);
        assertThat(links.mayReport("rig-08", "bench-07")).as("within the grace period").isFalse();

        timers.runAll();
        assertThat(links.mayReport("rig-08", "bench-07")).isTrue();
        assertThat(links.owner("bench-07")).hasValue("rig-08");
    }

    @Test
    void aHelloListingAnotherAgentsDeviceDoesNotTakeItNorBringItOnline() {
        hello("rig-07", "bench-07");
        commands.clear();
        hello("rig-08", "bench-07", "bench-08");

        WriteCommand.Publish online = publishes(StatusKind.ONLINE).get(0);
        assertThat(admitted(online, LOST)).containsExactly("bench-08 online");
        assertThat(links.owner("bench-07")).hasValue("rig-07");
    }

    @Test
    void anOfflineIsNotPublishedForADeviceTakenOverBeforeTheWriterAppliesIt() {
        AgentSession owner = hello("rig-07", "bench-07");
        links.detach(owner);
        timers.runAll();
        WriteCommand.Publish offline = publishes(StatusKind.OFFLINE).get(0);
        hello("rig-08");
        assertThat(links.mayReport("rig-08", "bench-07")).isTrue();

        assertThat(admitted(offline, null)).isEmpty();
    }

    @Test
    void afterARestartDevicesNotOfflineGoOfflineUnlessAnAgentClaimsThemWithinTheGracePeriod() {
        links.restarted(List.of(stored("bench-1", StatusKind.SUCCESS), stored("bench-2", StatusKind.OFFLINE),
                stored("bench-3", StatusKind.FAIL)));
        assertThat(timers.delays()).containsExactly(GRACE);
        hello("rig-3", "bench-3");
        timers.runAll();

        WriteCommand.Publish offline = publishes(StatusKind.OFFLINE).get(0);
        assertThat(offline.statuses()).extracting(DeviceStatus::deviceId).containsExactly("bench-1");
        assertThat(admitted(offline, new DeviceState(StatusKind.SUCCESS, null))).containsExactly("bench-1 offline");
        assertThat(admitted(offline, LOST)).as("already offline: published once").isEmpty();
    }

    @Test
    void aDeviceClaimedAfterTheRestartOfflineWasQueuedIsNotTakenOffline() {
        links.restarted(List.of(stored("bench-1", StatusKind.SUCCESS)));
        timers.runAll();
        WriteCommand.Publish offline = publishes(StatusKind.OFFLINE).get(0);
        hello("rig-1", "bench-1");

        assertThat(admitted(offline, new DeviceState(StatusKind.SUCCESS, null))).isEmpty();
    }

    private static io.benchlink.gateway.store.StoredEvent stored(String device, StatusKind kind) {
        return new io.benchlink.gateway.store.StoredEvent(1, device, kind, "{}");
    }

    /** Timers the test runs by hand; a task scheduled while running waits for the next {@link #runAll}. */
    static final class ManualTimers implements Timers {
        private final List<Runnable> tasks = new ArrayList<>();
        private final List<Duration> delays = new ArrayList<>();

        @Override
        public void schedule(Runnable task, Duration delay) {
            tasks.add(task);
            delays.add(delay);
        }

        List<Duration> delays() {
            return List.copyOf(delays);
        }

        void runAll() {
            List<Runnable> due = new ArrayList<>(tasks);
            tasks.clear();
            delays.clear();
            due.forEach(Runnable::run);
        }
    }
}
