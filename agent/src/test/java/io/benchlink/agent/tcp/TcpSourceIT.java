package io.benchlink.agent.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.benchlink.agent.profile.BuiltinProfiles;
import io.benchlink.agent.profile.Profile;
import io.benchlink.agent.source.DeviceReader;
import io.benchlink.agent.testing.RecordingSink;
import io.benchlink.agent.testing.TcpTesterServer;
import io.benchlink.common.status.DeviceStatus;
import io.benchlink.common.status.StatusKind;
import io.benchlink.common.time.WallClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class TcpSourceIT {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private final RecordingSink sink = new RecordingSink();

    private DeviceReader read(String deviceId, int port) {
        return read(deviceId, port, BuiltinProfiles.kv());
    }

    private DeviceReader read(String deviceId, int port, Profile profile) {
        DeviceReader reader = new DeviceReader(deviceId, new TcpConnector("127.0.0.1", port, Duration.ofSeconds(2)),
                profile, sink, WallClock.system(), DeviceReader.defaultBackoff());
        reader.start();
        return reader;
    }

    @Test
    void readsATesterBehindASerialServerAndSurvivesItsRestart() throws Exception {
        try (TcpTesterServer server = new TcpTesterServer().start(); DeviceReader reader = read("tcp-1",
                server.port())) {
            sink.awaitLink("tcp-1", StatusKind.ONLINE, 1, WAIT);
            server.awaitClient(WAIT);
            server.writeLines("TEST=START", "MAC=02:00:00:00:01:01", "SN=T-1", "RESULT=PASS first");
            sink.awaitResults("tcp-1", 1, WAIT);

            server.stop();
            sink.awaitLink("tcp-1", StatusKind.OFFLINE, 1, WAIT);
            assertThat(sink.of("tcp-1").get(2).result()).startsWith("tester disconnected (")
                    .contains("tcp:127.0.0.1:" + server.port());
            server.start();
            // issue 3: back -> online within 2 s
            sink.awaitLink("tcp-1", StatusKind.ONLINE, 2, Duration.ofSeconds(2));
            server.awaitClient(WAIT);
            server.writeLines("TEST=START", "SN=T-2", "RESULT=FAIL second");
            DeviceStatus second = sink.awaitResults("tcp-1", 2, WAIT).get(1);
            assertThat(second.serialNumber()).isEqualTo("T-2");
            assertThat(second.macAddress()).isEqualTo("unknown");
            assertThat(sink.of("tcp-1")).extracting(DeviceStatus::status).containsExactly(StatusKind.ONLINE,
                    StatusKind.SUCCESS, StatusKind.OFFLINE, StatusKind.ONLINE, StatusKind.FAIL);
            assertThat(reader.linkState()).isEqualTo(StatusKind.ONLINE);
        }
    }

    @Test
    void timesOutATestEvenWhileItsServerIsGone() throws Exception {
        Profile kv = BuiltinProfiles.kv();
        Profile timed = new Profile("kv-timed", kv.format(), kv.start(), kv.mac(), kv.serial(), kv.pass(), kv.fail(),
                kv.error(), Duration.ofSeconds(1), kv.charset(), kv.lineEnding(), kv.maxLineLength(), null, false, null);
        try (TcpTesterServer server = new TcpTesterServer().start(); DeviceReader reader = read("tcp-3", server.port(),
                timed)) {
            server.awaitClient(WAIT);
            server.writeLines("TEST=START", "SN=T-3");
            org.awaitility.Awaitility.await().atMost(WAIT).until(() -> reader.linkState() == StatusKind.ONLINE);
            server.stop();
            DeviceStatus timedOut = sink.awaitResults("tcp-3", 1, WAIT).get(0);
            assertThat(timedOut.status()).isEqualTo(StatusKind.ERROR);
            assertThat(timedOut.result()).isEqualTo("test timed out after 1 s");
            assertThat(timedOut.serialNumber()).isEqualTo("T-3");
            assertThat(sink.of("tcp-3")).extracting(DeviceStatus::status)
                    .containsExactly(StatusKind.ONLINE, StatusKind.OFFLINE, StatusKind.ERROR);
        }
    }

    @Test
    void reportsARefusedServerOnceAndConnectsWhenItStarts() throws Exception {
        TcpTesterServer server = new TcpTesterServer().start();
        int port = server.port();
        server.stop();
        try (DeviceReader reader = read("tcp-2", port)) {
            sink.awaitLink("tcp-2", StatusKind.OFFLINE, 1, WAIT);
            org.awaitility.Awaitility.await().atMost(WAIT).until(() -> reader.openAttempts() >= 4);
            server.start();
            // the next attempt comes within the 1 s backoff cap; 2 s for it and the open was tight on a loaded machine
            sink.awaitLink("tcp-2", StatusKind.ONLINE, 1, Duration.ofSeconds(5));
            assertThat(sink.of("tcp-2")).extracting(DeviceStatus::status)
                    .containsExactly(StatusKind.OFFLINE, StatusKind.ONLINE);
            assertThat(sink.of("tcp-2")).extracting(DeviceStatus::result).containsExactly(
                    "tester not reachable (tcp:127.0.0.1:" + port + " refused the connection)",
                    "tester connected (tcp:127.0.0.1:" + port + ")");
        } finally {
            server.stop();
        }
    }
}
