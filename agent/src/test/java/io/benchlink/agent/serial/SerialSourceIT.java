package io.benchlink.agent.serial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.benchlink.agent.config.AgentConfigReader;
import io.benchlink.agent.config.DeviceConfig;
import io.benchlink.agent.profile.BuiltinProfiles;
import io.benchlink.agent.profile.LineEnding;
import io.benchlink.agent.profile.Profile;
import io.benchlink.agent.source.DeviceReader;
import io.benchlink.agent.testing.NativeForTests;
import io.benchlink.agent.testing.PtyPair;
import io.benchlink.agent.testing.RecordingSink;
import io.benchlink.common.status.DeviceStatus;
import io.benchlink.common.status.StatusKind;
import io.benchlink.common.time.WallClock;
import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class SerialSourceIT {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private final RecordingSink sink = new RecordingSink();
    private final List<DeviceReader> readers = new ArrayList<>();
    private final List<PtyPair> ptys = new ArrayList<>();

    @BeforeAll
    static void loadNative() {
        NativeForTests.load();
    }

    @AfterEach
    void stop() throws Exception {
        for (DeviceReader reader : readers) {
            reader.close(Duration.ofSeconds(5));
        }
        for (PtyPair pty : ptys) {
            pty.close();
        }
    }

    private PtyPair pty(String name) throws Exception {
        PtyPair pty = new PtyPair(java.nio.file.Files.createDirectories(dir.resolve(name)));
        ptys.add(pty);
        return pty.start();
    }

    private DeviceReader read(String deviceId, Path port, Profile profile) {
        DeviceReader reader = new DeviceReader(deviceId, new SerialConnector(port.toString(), SerialSettings.DEFAULT),
                profile, sink, WallClock.system(), DeviceReader.defaultBackoff());
        readers.add(reader);
        reader.start();
        return reader;
    }

    @Test
    void turnsKvLinesFromAPtyIntoStatuses() throws Exception {
        PtyPair pty = pty("kv");
        read("bench-07", pty.a(), BuiltinProfiles.kv());
        sink.awaitLink("bench-07", StatusKind.ONLINE, 1, WAIT);
        pty.writeLines("\r\n", "TEST=START", "MAC=aa-bb-cc-dd-ee-01", "SN=SN-000123", "MEAS VCC=3.30",
                "RESULT=PASS all 12 checks passed", "TEST=START", "MAC=AABBCCDDEE02", "SN=SN-000124",
                "RESULT=FAIL check 7 out of range");
        List<DeviceStatus> results = sink.awaitResults("bench-07", 2, WAIT);
        assertThat(results).extracting(DeviceStatus::status).containsExactly(StatusKind.SUCCESS, StatusKind.FAIL);
        assertThat(results).extracting(DeviceStatus::macAddress).containsExactly("AA:BB:CC:DD:EE:01",
                "AA:BB:CC:DD:EE:02");
        assertThat(results).extracting(DeviceStatus::serialNumber).containsExactly("SN-000123", "SN-000124");
        assertThat(results).extracting(DeviceStatus::result)
                .containsExactly("all 12 checks passed", "check 7 out of range");
        assertThat(results.get(0).timeStart()).isBeforeOrEqualTo(results.get(0).timeEnd());
        assertThat(sink.of("bench-07").get(0).result()).isEqualTo("tester connected (" + pty.a() + ")");
    }

    @Test
    void turnsJsonlLinesFromAPtyIntoStatuses() throws Exception {
        PtyPair pty = pty("jsonl");
        read("bench-08", pty.a(), BuiltinProfiles.jsonl());
        sink.awaitLink("bench-08", StatusKind.ONLINE, 1, WAIT);
        pty.writeLines("\n", "{\"event\":\"start\"}", "{\"event\":\"info\",\"mac\":\"aabb.ccdd.ee03\",\"sn\":\"J-1\"}",
                "not json at all", "{\"event\":\"error\",\"message\":\"fixture not closed\"}");
        DeviceStatus status = sink.awaitResults("bench-08", 1, WAIT).get(0);
        assertThat(status.status()).isEqualTo(StatusKind.ERROR);
        assertThat(status.macAddress()).isEqualTo("AA:BB:CC:DD:EE:03");
        assertThat(status.serialNumber()).isEqualTo("J-1");
        assertThat(status.result()).isEqualTo("fixture not closed");
    }

    @Test
    void turnsLinesOfACustomProfileIntoStatusesAndSendsItsCommand() throws Exception {
        Charset cp1251 = Charset.forName("windows-1251");
        Profile custom = new Profile("acme", Profile.Format.REGEX, Pattern.compile("^BEGIN"),
                Pattern.compile("MAC:\\s*(?<mac>\\S+)"), Pattern.compile("S/N:\\s*(?<serial>\\S+)"),
                Pattern.compile("^PASS\\b\\s*(?<result>.*)"), Pattern.compile("^FAIL\\b\\s*(?<result>.*)"), null,
                null, cp1251, LineEnding.CR, 256, "ID?", true, null);
        PtyPair pty = pty("custom");
        ByteArrayOutputStream received = listen(pty.b());
        read("bench-09", pty.a(), custom);
        await("command on connect").atMost(WAIT).until(() -> received.toString(StandardCharsets.US_ASCII).equals("ID?\r"));
        pty.writeBytes("BEGIN\rMAC: 02:00:00:00:00:09\rS/N: Щ-9\rFAIL ток вне нормы\r".getBytes(cp1251));
        DeviceStatus status = sink.awaitResults("bench-09", 1, WAIT).get(0);
        assertThat(status.status()).isEqualTo(StatusKind.FAIL);
        assertThat(status.serialNumber()).isEqualTo("Щ-9");
        assertThat(status.result()).isEqualTo("ток вне нормы");
    }

    @Test
    void pollsATesterThatMustBeAskedEveryNSeconds() throws Exception {
        Profile polled = new Profile("polled", Profile.Format.REGEX, null, null, null,
                Pattern.compile("^OK\\b"), null, null, null, null, LineEnding.CRLF, 256, "MEAS?", false,
                Duration.ofSeconds(1));
        PtyPair pty = pty("polled");
        ByteArrayOutputStream received = listen(pty.b());
        read("bench-13", pty.a(), polled);
        sink.awaitLink("bench-13", StatusKind.ONLINE, 1, WAIT);
        await("three polls").atMost(WAIT)
                .until(() -> received.toString(StandardCharsets.US_ASCII).startsWith("MEAS?\r\n".repeat(3)));
        pty.writeLines("\r\n", "OK 1.23 V");
        assertThat(sink.awaitResults("bench-13", 1, WAIT).get(0).result()).isEqualTo("OK 1.23 V");
    }

    @Test
    void reportsOfflineWhenSocatDiesAndOnlineWhenThePtyComesBackKeepingTheTest() throws Exception {
        PtyPair pty = pty("replug");
        read("bench-10", pty.a(), BuiltinProfiles.kv());
        sink.awaitLink("bench-10", StatusKind.ONLINE, 1, WAIT);
        pty.writeLines("\n", "TEST=START", "MAC=02:00:00:00:00:10");
        await().atMost(WAIT).until(() -> readers.get(0).linkState() == StatusKind.ONLINE);
        pty.kill();
        sink.awaitLink("bench-10", StatusKind.OFFLINE, 1, WAIT);
        // killing socat hangs the line up: the read fails with EIO
        assertThat(sink.of("bench-10").get(1).result()).isIn("tester disconnected (I/O error reading " + pty.a() + ")",
                "tester disconnected (" + pty.a() + " hung up)");
        pty.start();
        // issue 3: port back -> online within 2 s of it reappearing
        sink.awaitLink("bench-10", StatusKind.ONLINE, 2, Duration.ofSeconds(2));
        pty.writeLines("\n", "SN=SN-10", "RESULT=PASS after replug");
        DeviceStatus status = sink.awaitResults("bench-10", 1, WAIT).get(0);
        assertThat(status.macAddress()).isEqualTo("02:00:00:00:00:10");
        assertThat(status.serialNumber()).isEqualTo("SN-10");
        assertThat(sink.of("bench-10")).extracting(DeviceStatus::status)
                .containsExactly(StatusKind.ONLINE, StatusKind.OFFLINE, StatusKind.ONLINE, StatusKind.SUCCESS);
    }

    @Test
    void reportsAMissingPortOnceAndGoesOnlineWhenItAppears() throws Exception {
        Path later = java.nio.file.Files.createDirectories(dir.resolve("later"));
        DeviceReader reader = read("bench-11", later.resolve("ttyA"), BuiltinProfiles.kv());
        sink.awaitLink("bench-11", StatusKind.OFFLINE, 1, WAIT);
        PtyPair pty = new PtyPair(later);
        ptys.add(pty);
        // let several reconnect attempts fail first: the offline must still be reported once
        await().atMost(WAIT).until(() -> reader.openAttempts() >= 4);
        pty.start();
        // the next attempt comes within the 1 s backoff cap; 2 s for it and the open was tight on a loaded machine
        sink.awaitLink("bench-11", StatusKind.ONLINE, 1, Duration.ofSeconds(5));
        assertThat(sink.of("bench-11")).extracting(DeviceStatus::status)
                .containsExactly(StatusKind.OFFLINE, StatusKind.ONLINE);
        assertThat(sink.of("bench-11").get(0).result())
                .isEqualTo("tester not reachable (no such port " + later.resolve("ttyA") + ")");
    }

    @Test
    void buildsTheSameReaderFromAConfigDevice() throws Exception {
        PtyPair pty = pty("config");
        DeviceConfig device = AgentConfigReader.fromJson(com.google.gson.JsonParser.parseString(
                "{\"devices\":[{\"device_id\":\"bench-12\",\"port\":\"" + pty.a() + "\",\"profile\":\"kv\","
                        + "\"baud\":115200}]}").getAsJsonObject(), dir).devices().get(0);
        DeviceReader reader = new DeviceReader("bench-12", io.benchlink.agent.cli.AgentRuntime.connector(device),
                device.profile(), sink, WallClock.system(), DeviceReader.defaultBackoff());
        readers.add(reader);
        reader.start();
        sink.awaitLink("bench-12", StatusKind.ONLINE, 1, WAIT);
        pty.writeLines("\n", "MAC=02:00:00:00:00:12 SN=C-12 RESULT=PASS");
        assertThat(sink.awaitResults("bench-12", 1, WAIT).get(0).serialNumber()).isEqualTo("C-12");
    }

    /** Collects what the agent writes to the tester's end, on a daemon thread that ends when the pty goes. */
    private static ByteArrayOutputStream listen(Path port) {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[256];
            try (InputStream in = new FileInputStream(port.toFile())) {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    synchronized (received) {
                        received.write(buffer, 0, n);
                    }
                }
            } catch (java.io.IOException e) {
                // the pty went away: the test is over
            }
        }, "test-tester-listener");
        thread.setDaemon(true);
        thread.start();
        return received;
    }
}
