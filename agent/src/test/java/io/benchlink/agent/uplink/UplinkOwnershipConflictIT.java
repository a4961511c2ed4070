package io.benchlink.agent.uplink;

import static io.benchlink.agent.spool.TestStatuses.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.benchlink.agent.spool.Spool;
import io.benchlink.agent.spool.SpoolConfig;
import io.benchlink.common.time.WallClock;
import io.benchlink.gateway.app.Gateway;
import io.benchlink.gateway.config.GatewayConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Issue 14.3, agent side, against a real gateway in this JVM: two rigs list the same device; the second one's
 * uplink counts the refusals, names the owner and the statuses it holds (for the status line), logs the conflict
 * once per device, and delivers the held statuses once the owner has stopped.
 */
@Timeout(60)
class UplinkOwnershipConflictIT {
    @TempDir
    Path dir;

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(Uplink.class);
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();

    @AfterEach
    void closeAll() throws Exception {
        logger.detachAppender(log);
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    @Test
    void showsTheOwnerAndTheHeldStatusesLogsOnceAndDeliversThemWhenTheOwnerHasGone() throws Exception {
        log.start();
        logger.addAppender(log);
        Gateway gateway = Gateway.start(GatewayConfig.builder().bind("127.0.0.1").port(0).httpPort(-1)
                .dataDir(dir.resolve("gateway")).zone(ZoneId.of("Europe/Moscow")).offlineGrace(Duration.ofSeconds(60))
                .build());
        closeables.add(gateway);
        Spool ownerSpool = spool("owner");
        Uplink owner = uplink(gateway, "rig-03", ownerSpool);
        await().atMost(Duration.ofSeconds(20)).until(() -> owner.state() == LinkState.CONNECTED);

        Spool spool = spool("second");
        for (int i = 1; i <= 12; i++) {
            spool.append(result("bench-07", i));
        }
        Uplink second = uplink(gateway, "rig-07", spool);

        await().atMost(Duration.ofSeconds(20)).until(() -> second.refused() >= 12);
        assertThat(second.ownershipConflicts()).containsExactly(new OwnershipConflict("bench-07", "rig-03", 12));
        assertThat(second.state()).as("the link stays up").isEqualTo(LinkState.CONNECTED);
        assertThat(spool.depth()).isEqualTo(12);
        // Retried every 5 s and refused again: still one warning for the device.
        await().atMost(Duration.ofSeconds(20)).until(() -> second.refused() >= 24);
        assertThat(warnings()).hasSize(1).allSatisfy(line -> assertThat(line)
                .contains("bench-07 owned by another rig (rig-03): 12 statuses held"));

        owner.close(); // its goodbye frees the device at once
        await().atMost(Duration.ofSeconds(30)).until(() -> spool.depth() == 0);
        assertThat(second.ownershipConflicts()).isEmpty();
        assertThat(second.reconnects()).isZero();
    }

    private List<String> warnings() {
        return log.list.stream().map(ILoggingEvent::getFormattedMessage).filter(m -> m.contains("owned by another"))
                .toList();
    }

    private Spool spool(String name) {
        Spool spool = Spool.open(SpoolConfig.defaults(dir.resolve(name)));
        closeables.add(spool);
        return spool;
    }

    private Uplink uplink(Gateway gateway, String agentId, Spool spool) {
        UplinkConfig config = new UplinkConfig(List.of(URI.create("ws://127.0.0.1:" + gateway.port() + "/ws/agents")),
                agentId, null, List.of("bench-07"), 16, Duration.ofSeconds(5), Duration.ofSeconds(20),
                Duration.ofMillis(50), Duration.ofMillis(500));
        Uplink uplink = new Uplink(config, spool, WallClock.system());
        closeables.add(uplink);
        uplink.start();
        return uplink;
    }
}
