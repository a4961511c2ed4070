package io.benchlink.agent.profile;

import static org.assertj.core.api.Assertions.assertThat;

import io.benchlink.common.testing.TestClock;
import io.benchlink.common.status.DeviceStatus;
import io.benchlink.common.status.StatusKind;
import io.benchlink.common.time.WallClock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TestTrackerTest {
    private final TestClock time = new TestClock(Instant.parse("2025-08-28T14:52:34.615642Z"));
    private final WallClock clock = new WallClock(time);
    private final LineParser kv = BuiltinProfiles.kv().parser();
    private final TestTracker tracker = new TestTracker("bench-07", Duration.ofSeconds(30), clock);

    private List<DeviceStatus> lines(String... lines) {
        List<DeviceStatus> out = new ArrayList<>();
        for (String line : lines) {
            out.addAll(tracker.accept(kv.parse(line)));
            time.advance(Duration.ofSeconds(1));
        }
        return out;
    }

    @Test
    void buildsOneStatusPerTestWithStartAndEndTimes() {
        LocalDateTime start = clock.now();
        List<DeviceStatus> out = lines("TEST=START", "MAC=aa:bb:cc:dd:ee:ff", "SN=SN-1", "RESULT=PASS ok");
        assertThat(out).hasSize(1);
        DeviceStatus status = out.get(0);
        assertThat(status.status()).isEqualTo(StatusKind.SUCCESS);
        assertThat(status.macAddress()).isEqualTo("AA:BB:CC:DD:EE:FF");
        assertThat(status.serialNumber()).isEqualTo("SN-1");
        assertThat(status.timeStart()).isEqualTo(start);
        assertThat(status.timeEnd()).isEqualTo(start.plusSeconds(3));
        assertThat(status.updatedAt()).isEqualTo(status.timeEnd());
        assertThat(status.result()).isEqualTo("ok");
        assertThat(status.deviceId()).isEqualTo("bench-07");
    }

    @Test
    void usesTheResultTimeAsStartWhenNoStartLineCame() {
        List<DeviceStatus> out = lines("MAC=AABBCCDDEEFF", "RESULT=FAIL bad");
        assertThat(out.get(0).timeStart()).isEqualTo(out.get(0).timeEnd());
        assertThat(out.get(0).macAddress()).isEqualTo("AA:BB:CC:DD:EE:FF");
    }

    @Test
    void takesMacAndSerialFromThatTestsLinesOnly() {
        lines("TEST=START", "MAC=AABBCCDDEEFF", "SN=A1", "RESULT=PASS");
        List<DeviceStatus> second = lines("TEST=START", "RESULT=FAIL");
        assertThat(second.get(0).macAddress()).isEqualTo("unknown");
        assertThat(second.get(0).serialNumber()).isEqualTo("unknown");
    }

    @Test
    void reportsATestWithoutResultAsErrorWhenTheNextStarts() {
        List<DeviceStatus> out = lines("TEST=START", "SN=A1", "TEST=START", "SN=A2", "RESULT=PASS");
        assertThat(out).extracting(DeviceStatus::status).containsExactly(StatusKind.ERROR, StatusKind.SUCCESS);
        assertThat(out.get(0).serialNumber()).isEqualTo("A1");
        assertThat(out.get(1).serialNumber()).isEqualTo("A2");
    }

    @Test
    void timesOutATestWithNoResult() {
        LocalDateTime start = clock.now();
        lines("TEST=START", "SN=A1");
        assertThat(tracker.checkTimeout()).isEmpty();
        time.advance(Duration.ofSeconds(28));
        DeviceStatus status = tracker.checkTimeout().orElseThrow();
        assertThat(status.status()).isEqualTo(StatusKind.ERROR);
        assertThat(status.result()).isEqualTo("test timed out after 30 s");
        assertThat(status.timeStart()).isEqualTo(start);
        assertThat(status.serialNumber()).isEqualTo("A1");
        assertThat(tracker.inTest()).isFalse();
        assertThat(tracker.checkTimeout()).isEmpty();
    }

    @Test
    void ignoresAnUnreadableMacButKeepsTheTest() {
        List<DeviceStatus> out = lines("TEST=START", "MAC=ZZ:ZZ:ZZ:ZZ:ZZ:ZZ", "RESULT=PASS");
        assertThat(out.get(0).macAddress()).isEqualTo("unknown");
        assertThat(out.get(0).status()).isEqualTo(StatusKind.SUCCESS);
    }

    @Test
    void cutsResultTextToTheContractLimit() {
        List<DeviceStatus> out = lines("RESULT=FAIL " + "x".repeat(10_000));
        assertThat(out.get(0).result()).hasSize(DeviceStatus.MAX_TEXT);
    }

    @Test
    void aTestWithoutStartLineThatTimesOutStartsAtItsFirstLine() {
        TestTracker timed = new TestTracker("bench-07", Duration.ofSeconds(2), clock);
        LocalDateTime first = clock.now();
        timed.accept(kv.parse("MAC=AABBCCDDEEFF"));
        assertThat(timed.inTest()).isTrue();
        time.advance(Duration.ofSeconds(3));

        DeviceStatus status = timed.checkTimeout().orElseThrow();
        assertThat(status.timeStart()).isEqualTo(first);
        assertThat(status.timeEnd()).isEqualTo(first.plusSeconds(3));
        assertThat(timed.inTest()).isFalse();
    }

    @Test
    void aSerialOfExactly128CharactersIsKept() {
        String serial = "S".repeat(128);
        List<DeviceStatus> out = lines("TEST=START", "SN=" + serial, "RESULT=PASS");
        assertThat(out.get(0).serialNumber()).isEqualTo(serial);
    }
}
