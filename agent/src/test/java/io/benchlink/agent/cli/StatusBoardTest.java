package io.benchlink.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.benchlink.agent.cli.StatusBoard.DeviceState;
import io.benchlink.agent.uplink.LinkState;
import io.benchlink.common.status.DeviceStatus;
import io.benchlink.common.status.StatusKind;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class StatusBoardTest {
    private static final LocalDateTime T = LocalDateTime.of(2026, 11, 27, 14, 52, 34, 615_642_000);

    private static DeviceStatus result(String device, StatusKind kind, String text) {
        return new DeviceStatus("AA:BB:CC:DD:EE:FF", "SN-000123", kind, T.minusMinutes(2), T, T.plusSeconds(1), text,
                device, 0);
    }

    @Test
    void rendersOneLinePerDeviceWithTesterStatusLastResultSpoolAndLink() {
        List<DeviceState> devices = List.of(
                new DeviceState("bench-07", DeviceStatus.link("bench-07", StatusKind.ONLINE, null, T),
                        result("bench-07", StatusKind.FAIL, "check 3 failed")),
                new DeviceState("bench-8", DeviceStatus.link("bench-8", StatusKind.OFFLINE, "port lost", T), null),
                new DeviceState("bench-9", null, null));

        assertThat(StatusBoard.render(devices, 42, LinkState.BACKOFF)).containsExactly(
                "bench-07  online   last fail SN-000123 at 14:52:34 (check 3 failed)  spool 42  link backoff",
                "bench-8   offline  no result yet  spool 42  link backoff",
                "bench-9   -        no result yet  spool 42  link backoff");
    }

    @Test
    void cutsLongResultsSoEveryLineFitsTheWidth() {
        List<DeviceState> devices = List.of(new DeviceState("bench-07", null,
                result("bench-07", StatusKind.SUCCESS, "x".repeat(500))));

        String line = StatusBoard.render(devices, 1_000_000, LinkState.CONNECTED).get(0);

        assertThat(line).hasSize(StatusBoard.WIDTH).contains("...  spool 1000000  link connected");
    }

    @Test
    void redrawMovesUpOverThePreviousFrameAndClearsEachLine() {
        assertThat(StatusBoard.redraw(List.of("a", "b"), 0)).isEqualTo("\u001b[2Ka\n\u001b[2Kb\n");
        assertThat(StatusBoard.redraw(List.of("a", "b"), 2)).isEqualTo("\r\u001b[2A\u001b[2Ka\n\u001b[2Kb\n");
    }

    @Test
    void keepsTheLastLinkStatusAndTheLastResultApartAndSeesDevicesNotConfigured() throws Exception {
        StatusBoard board = new StatusBoard(List.of("bench-07"), () -> 0, () -> LinkState.CONNECTED);
        List<DeviceStatus> taken = new ArrayList<>();
        var sink = board.watching(taken::add);

        sink.accept(DeviceStatus.link("bench-07", StatusKind.ONLINE, null, T));
        sink.accept(result("bench-07", StatusKind.SUCCESS, "ok"));
        sink.accept(DeviceStatus.link("bench-99", StatusKind.ONLINE, null, T));

        assertThat(taken).hasSize(3);
        assertThat(board.snapshot()).extracting(DeviceState::deviceId).containsExactly("bench-07", "bench-99");
        DeviceState bench07 = board.snapshot().get(0);
        assertThat(bench07.link().status()).isEqualTo(StatusKind.ONLINE);
        assertThat(bench07.lastResult().result()).isEqualTo("ok");
    }

    @Test
    void stateKeyChangesWithTesterOrLinkStateButNotWithResults() {
        DeviceState online = new DeviceState("b", DeviceStatus.link("b", StatusKind.ONLINE, null, T), null);
        DeviceState withResult = new DeviceState("b", online.link(), result("b", StatusKind.FAIL, "x"));
        DeviceState offline = new DeviceState("b", DeviceStatus.link("b", StatusKind.OFFLINE, null, T), null);

        String key = StatusBoard.stateKey(List.of(online), LinkState.CONNECTED);
        assertThat(StatusBoard.stateKey(List.of(withResult), LinkState.CONNECTED)).isEqualTo(key);
        assertThat(StatusBoard.stateKey(List.of(offline), LinkState.CONNECTED)).isNotEqualTo(key);
        assertThat(StatusBoard.stateKey(List.of(online), LinkState.BACKOFF)).isNotEqualTo(key);
    }
    @Test
    void aResultWithoutEndTimeShowsItsUpdateTimeAndOneWithoutTextShowsNoParentheses() {
        DeviceStatus noEnd = new DeviceStatus(null, "SN-1", StatusKind.ERROR, null, null, T, "  late  ", "b", 0);
        DeviceStatus noText = new DeviceStatus(null, "SN-2", StatusKind.FAIL, T, T.plusMinutes(1), T, null, "c", 0);

        assertThat(StatusBoard.render(List.of(new DeviceState("b", null, noEnd), new DeviceState("c", null, noText)),
                0, LinkState.CONNECTED)).containsExactly(
                "b  -        last error SN-1 at 14:52:34 (late)  spool 0  link connected",
                "c  -        last fail SN-2 at 14:53:34  spool 0  link connected");
    }

    @Test
    void deviceIdsArePaddedToTheLongestButAtMost24Characters() {
        String longId = "bench-" + "x".repeat(30);
        List<String> lines = StatusBoard.render(List.of(new DeviceState("a", null, null),
                new DeviceState(longId, null, null)), 0, LinkState.IDLE);
        assertThat(lines.get(0)).startsWith("a" + " ".repeat(23) + "  -  ");
        assertThat(lines.get(1)).startsWith(longId + "  -  ");
    }

    @Test
    void aLineThatJustFitsTheWidthIsNotCut() {
        String tail = "  spool 0  link idle";
        String prefix = "b  -        last success SN-000123 at 14:52:34 (";
        int room = StatusBoard.WIDTH - tail.length();
        String text = "y".repeat(room - prefix.length() - 1);
        DeviceState device = new DeviceState("b", null, result("b", StatusKind.SUCCESS, text));

        String line = StatusBoard.render(List.of(device), 0, LinkState.IDLE).get(0);
        assertThat(line).hasSize(StatusBoard.WIDTH).endsWith(text + ")" + tail);

        DeviceState longer = new DeviceState("b", null, result("b", StatusKind.SUCCESS, text + "y"));
        String cut = StatusBoard.render(List.of(longer), 0, LinkState.IDLE).get(0);
        assertThat(cut).hasSize(StatusBoard.WIDTH).endsWith("..." + tail);
    }

    @Test
    void onATerminalTheBoardDrawsAtOnceAndThenRedrawsOverItsLastFrame() {
        StringWriter out = new StringWriter();
        AtomicLong depth = new AtomicLong(3);
        StatusBoard board = new StatusBoard(List.of("bench-07", "bench-08"), depth::get, () -> LinkState.CONNECTED);
        try {
            board.start(new PrintWriter(out));
            await().atMost(Duration.ofSeconds(10)).until(() -> out.toString().contains("spool 3"));
            depth.set(4);
            await().atMost(Duration.ofSeconds(10)).until(() -> out.toString().contains("spool 4"));
        } finally {
            board.close();
        }
        String frames = out.toString();
        assertThat(frames).startsWith("\u001b[2Kbench-07  -        no result yet  spool 3  link connected\n"
                + "\u001b[2Kbench-08  -        no result yet  spool 3  link connected\n");
        assertThat(frames).contains("\r\u001b[2A\u001b[2Kbench-07  -        no result yet  spool 4");
    }
}
