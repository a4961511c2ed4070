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
