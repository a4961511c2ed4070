package io.benchlink.agent.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.benchlink.agent.profile.BuiltinProfiles;
import io.benchlink.agent.serial.SerialConnector;
import io.benchlink.agent.serial.SerialSettings;
import io.benchlink.agent.testing.NativeForTests;
import io.benchlink.agent.testing.PtyPair;
import io.benchlink.agent.testing.RecordingSink;
import io.benchlink.common.status.DeviceStatus;
import io.benchlink.common.status.StatusKind;
import io.benchlink.common.time.WallClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(90)
class GarbageIT {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private final RecordingSink sink = new RecordingSink();

    private DeviceReader read(String deviceId, Path port) {
        DeviceReader reader = new DeviceReader(deviceId, new SerialConnector(port.toString(), SerialSettings.DEFAULT),
                BuiltinProfiles.kv(), sink, WallClock.system(), DeviceReader.defaultBackoff());
        reader.start();
        return reader;
    }

    @Test
    void garbageOnOnePortStopsNeitherThatDeviceNorAnother() throws Exception {
        NativeForTests.load();
        try (PtyPair noisy = new PtyPair(Files.createDirectories(dir.resolve("noisy"))).start();
                PtyPair clean = new PtyPair(Files.createDirectories(dir.resolve("clean"))).start();
                DeviceReader noisyReader = read("noisy", noisy.a());
                DeviceReader cleanReader = read("clean", clean.a())) {
            sink.awaitLink("noisy", StatusKind.ONLINE, 1, WAIT);
            sink.awaitLink("clean", StatusKind.ONLINE, 1, WAIT);

            byte[] random = new byte[256 * 1024];
            new Random(42).nextBytes(random);
            noisy.writeBytes(random);
            byte[] megabyte = new byte[1 << 20];
            Arrays.fill(megabyte, (byte) 'A');
            noisy.writeBytes(megabyte);
            noisy.writeBytes(new byte[] {'\n', 'S', 'N', '=', (byte) 0xC3, (byte) 0x28, (byte) 0xFE, '\n', 0, 0, 0,
                    '\n'});
            clean.writeLines("\n", "TEST=START", "SN=C-1", "RESULT=PASS clean while the other port is noisy");
            // CR-only line endings, NULs inside lines, then a real test
            noisy.writeBytes("\rTEST=START\rMAC=02:00:00:00:00:\u0000AA\rSN=N-1\rRESULT=PASS\u0000 after garbage\r"
                    .getBytes(StandardCharsets.UTF_8));

            DeviceStatus cleanResult = sink.awaitResults("clean", 1, WAIT).get(0);
            assertThat(cleanResult.serialNumber()).isEqualTo("C-1");
            org.awaitility.Awaitility.await().atMost(WAIT).until(() -> sink.results("noisy").stream()
                    .anyMatch(s -> "N-1".equals(s.serialNumber())));
            DeviceStatus last = sink.results("noisy").get(sink.results("noisy").size() - 1);
            assertThat(last.status()).isEqualTo(StatusKind.SUCCESS);
            assertThat(last.macAddress()).isEqualTo("02:00:00:00:00:AA");
            assertThat(last.result()).isEqualTo("after garbage");
            assertThat(noisyReader.linkState()).isEqualTo(StatusKind.ONLINE);
            assertThat(cleanReader.linkState()).isEqualTo(StatusKind.ONLINE);
            assertThat(sink.count("noisy", s -> s.status() == StatusKind.OFFLINE)).isZero();
        }
    }
}
