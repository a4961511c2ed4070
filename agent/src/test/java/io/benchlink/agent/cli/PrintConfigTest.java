package io.benchlink.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code agent run --print-config}: what the one-device flags and the overriding flags make of the configuration,
 * shown line by line (the token masked), without opening a port or a socket.
 */
class PrintConfigTest {
    @TempDir
    Path dir;

    @Test
    void theOneDeviceFlagsBecomeOneDeviceWithEverySerialSetting() throws Exception {
        Path ca = Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\n");
        CliRun run = CliRun.of("run", "--print-config", "--device-id", "bench-07", "--port", "/dev/ttyUSB0",
                "--profile", "kv", "--baud", "115200", "--data-bits", "7", "--parity", "even", "--stop-bits", "2",
                "--flow-control", "rtscts", "--gateway", "ws://gw:8000", "--gateway", "wss://gw2:8443",
                "--agent-id", "rig-07", "--token", "s3cret", "--spool-dir", dir.resolve("spool").toString(),
                "--native-dir", dir.resolve("native").toString(), "--trusted-ca", ca.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out().lines()).containsExactly(
                "agent_id=rig-07",
                "gateways=ws://gw:8000, wss://gw2:8443",
                "token=****",
                "spool_dir=" + dir.resolve("spool"),
                "spool_max_bytes=1073741824",
                "spool_max_age_s=2592000",
                "native_dir=" + dir.resolve("native"),
                "trusted_ca=" + ca,
                "devices[0].device_id=bench-07",
                "devices[0].port=/dev/ttyUSB0",
                "devices[0].profile=kv",
                "devices[0].serial=115200 7 even 2 flow_control=rtscts");
    }

    @Test
    void withoutGatewayTokenOrCaTheDefaultsAreNamed() {
        CliRun run = CliRun.of("run", "--print-config", "--device-id", "bench-07", "--usb", "0403:6001:A5",
                "--profile", "jsonl", "--agent-id", "rig-07");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("gateways=(none)\ntoken=(none)\n")
                .contains("trusted_ca=(JVM default)\n")
                .contains("devices[0].usb=")
                .contains("devices[0].serial=9600 8 none 1 flow_control=none");
    }

    @Test
    void aConfigFileShowsEachKindOfSourceAndFlagsOverrideItsTopLevelKeys() throws Exception {
        Path file = Files.writeString(dir.resolve("agent.json"), ("{'agent_id':'rig-01','gateway':'ws://old:8000',"
                + "'token':'t','devices':[{'device_id':'a','port':'tcp:10.0.0.5:4001','profile':'kv'},"
                + "{'device_id':'b','port':'sim','profile':'jsonl','simulate':{'tests_per_second':2,'seed':5,"
                + "'max_tests':3}}]}").replace('\'', '"'));
        CliRun run = CliRun.of("run", "--config", file.toString(), "--print-config", "--gateway", "ws://new:8000",
                "--agent-id", "rig-02");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("agent_id=rig-02\ngateways=ws://new:8000\ntoken=****\n")
                .contains("devices[0].port=tcp:10.0.0.5:4001\n")
                .contains("devices[1].port=sim (jsonl, 2.0 tests/s, fail_ratio 0.1, error_ratio 0.02, seed 5,"
                        + " max_tests 3)\n");
    }

    @Test
    void theOneDeviceModeNeedsADeviceIdAndAProfile() {
        CliRun noId = CliRun.of("run", "--print-config", "--port", "COM7", "--profile", "kv");
        assertThat(noId.exitCode()).isEqualTo(2);
        assertThat(noId.err()).contains("--device-id is required");
        CliRun blankId = CliRun.of("run", "--print-config", "--device-id", " ", "--port", "COM7", "--profile", "kv");
        assertThat(blankId.err()).contains("--device-id is required");
        CliRun noProfile = CliRun.of("run", "--print-config", "--device-id", "b", "--port", "COM7");
        assertThat(noProfile.exitCode()).isEqualTo(2);
        assertThat(noProfile.err()).contains("--profile is required");
    }

    @Test
    void anySingleDeviceFlagTogetherWithAConfigFileIsRefused() throws Exception {
        Path file = Files.writeString(dir.resolve("agent.json"), "{}");
        for (String[] flag : new String[][] {{"--device-id", "b"}, {"--port", "COM7"}, {"--usb", "0403:6001"},
            {"--profile", "kv"}, {"--baud", "9600"}, {"--data-bits", "8"}, {"--parity", "none"},
            {"--stop-bits", "1"}, {"--flow-control", "none"}}) {
            CliRun run = CliRun.of("run", "--print-config", "--config", file.toString(), flag[0], flag[1]);
            assertThat(run.exitCode()).as(flag[0]).isEqualTo(2);
            assertThat(run.err()).as(flag[0]).contains("use either --config or the one-device flags");
        }
    }
}
