package io.benchlink.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.benchlink.agent.cli.StatusBoard.DeviceState;
import io.benchlink.agent.uplink.LinkState;
import io.benchlink.agent.uplink.OwnershipConflict;
import io.benchlink.common.status.DeviceStatus;
import io.benchlink.common.status.StatusKind;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 14.3: the status line of a device the gateway refuses for another owner says so. */
class StatusBoardConflictTest {
    private static final LocalDateTime T = LocalDateTime.of(2026, 11, 27, 14, 52, 34);

    private final List<DeviceState> devices = List.of(
            new DeviceState("bench-07", DeviceStatus.link("bench-07", StatusKind.ONLINE, null, T), null),
            new DeviceState("bench-08", DeviceStatus.link("bench-08", StatusKind.ONLINE, null, T), null));

    @Test
    void showsTheOwnerAndTheHeldCountOnTheConflictedDevicesLineOnly() {
        List<String> lines = StatusBoard.render(devices, 12, LinkState.CONNECTED,
                List.of(new OwnershipConflict("bench-07", "rig-03", 12)));

        assertThat(lines).containsExactly(
                "bench-07  online   CONFLICT owned by another rig (rig-03): 12 statuses held; no result yet  spool 12"
                        + "  link connected",
                "bench-08  online   no result yet  spool 12  link connected");
    }

    @Test
    void keepsTheConflictVisibleWhenALongResultIsCut() {
        DeviceStatus result = new DeviceStatus("AA:BB:CC:DD:EE:FF", "SN-1", StatusKind.SUCCESS, T, T, T,
                "x".repeat(300), "bench-07", 0);
        List<DeviceState> one = List.of(new DeviceState("bench-07", null, result));

        String line = StatusBoard.render(one, 1, LinkState.CONNECTED,
                List.of(new OwnershipConflict("bench-07", null, 1))).get(0);

        assertThat(line).hasSize(StatusBoard.WIDTH).contains("CONFLICT owned by another rig: 1 status held");
    }

    @Test
    void aConflictStartingOrEndingIsAChangeOfStateForTheServiceLog() {
        String before = StatusBoard.stateKey(devices, LinkState.CONNECTED, List.of());
        String during = StatusBoard.stateKey(devices, LinkState.CONNECTED,
                List.of(new OwnershipConflict("bench-07", "rig-03", 1)));
        String later = StatusBoard.stateKey(devices, LinkState.CONNECTED,
                List.of(new OwnershipConflict("bench-07", "rig-03", 40)));

        assertThat(during).isNotEqualTo(before).isEqualTo(later); // the count alone goes into the minute's summary
    }
}
