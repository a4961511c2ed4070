package io.benchlink.agent.uplink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.benchlink.agent.spool.Spool;
import io.benchlink.agent.spool.SpoolConfig;
import io.benchlink.common.time.WallClock;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

class PlainTokenWarningTest {
    private final PlainTokenWarning warning = new PlainTokenWarning();

    @Test
    void warnsOncePerGatewayUrlWhenATokenGoesOverPlainWsToAnotherMachine() {
        URI gw1 = URI.create("ws://gw1.plant.local:8000/ws/agents");
        URI gw2 = URI.create("ws://10.0.0.5:8000");

        assertThat(warning.check(gw1, "s3cret")).hasValueSatisfying(text -> assertThat(text)
                .contains("ws://", "gw1.plant.local", "wss://").doesNotContain("s3cret"));
        assertThat(warning.check(gw1, "s3cret")).isEmpty(); // once per URL, not per reconnect
        assertThat(warning.check(gw2, "s3cret")).hasValueSatisfying(text -> assertThat(text).contains("10.0.0.5"));
        assertThat(warning.check(gw2, "s3cret")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ws://127.0.0.1:8000", "ws://127.1.2.3:8000", "ws://localhost:8000", "ws://[::1]:8000",
        "ws://rig.localhost:8000", "wss://gw1.plant.local:8000", "wss://10.0.0.5:8000"})
    void staysQuietForLoopbackAndForWss(String url) {
        assertThat(warning.check(URI.create(url), "s3cret")).isEmpty();
    }

    @Test
    @Timeout(30)
    void theUplinkLogsTheWarningWhenItFirstConnects(@TempDir Path dir) throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(Uplink.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        // 192.0.2.1 (TEST-NET-1) is never routed: the attempt just waits, and the warning comes before it.
        UplinkConfig config = new UplinkConfig(List.of(URI.create("ws://192.0.2.1:8000")), "rig-07", "s3cret",
                List.of("bench-07"), 16, Duration.ofSeconds(5), Duration.ofSeconds(20), Duration.ofMillis(50),
                Duration.ofMillis(500));
        try (Spool spool = Spool.open(SpoolConfig.defaults(dir)); Uplink uplink = new Uplink(config, spool,
                WallClock.system())) {
            uplink.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> appender.list.stream()
                    .anyMatch(e -> e.getFormattedMessage().contains("unencrypted over ws:// to 192.0.2.1")));
        } finally {
            logger.detachAppender(appender);
        }
        assertThat(appender.list).filteredOn(e -> e.getFormattedMessage().contains("unencrypted")).hasSize(1)
                .allSatisfy(e -> assertThat(e.getFormattedMessage()).doesNotContain("s3cret"));
    }

    @Test
    void staysQuietWithoutAToken() {
        assertThat(warning.check(URI.create("ws://10.0.0.5:8000"), "")).isEmpty();
        assertThat(warning.check(URI.create("ws://10.0.0.5:8000"), null)).isEmpty();
    }

    @Test
    void neverTakesAHostNameForLoopbackWithoutLookingItUp() {
        assertThat(PlainTokenWarning.loopback("gateway")).isFalse();
        assertThat(PlainTokenWarning.loopback("127.0.0.1.example.com")).isFalse();
        assertThat(PlainTokenWarning.loopback("0:0:0:0:0:0:0:1")).isTrue();
    }
}
