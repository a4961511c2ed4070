package io.benchlink.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/examples/agent.example.json is valid and shows each kind of source; --print-config masks the token. */
class ExampleConfigTest {
    private static final Path EXAMPLE = Path.of(System.getProperty("basedir", "."))
            .resolve("../docs/examples/agent.example.json").normalize();

    @Test
    void theExamplePassesCheckConfig() {
        CliRun run = CliRun.of("check-config", "--config", EXAMPLE.toString());
        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isEqualTo(0);
        assertThat(run.out()).contains("agent rig-07, 4 device(s): bench-07, bench-08, bench-09, bench-sim");
    }

    @Test
    void printConfigShowsTheEffectiveConfigurationWithTheTokenMasked() {
        CliRun run = CliRun.of("run", "--config", EXAMPLE.toString(), "--token", "s3cret-token", "--print-config");
        assertThat(run.exitCode()).isEqualTo(0);
        assertThat(run.out()).contains("agent_id=rig-07", "token=****", "spool_max_bytes=1073741824",
                "devices[1].usb=usb:0403:6001:A50285BI", "devices[2].port=tcp:10.0.0.50:4001",
                "devices[0].serial=9600 8 none 1 flow_control=none").doesNotContain("s3cret-token");
    }

    @Test
    void aBadLogLevelIsAConfigErrorWithExit2() {
        CliRun run = CliRun.of("run", "--config", EXAMPLE.toString(), "--log-level", "loud", "--print-config");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines()).containsExactly(
                "config: --log-level must be error, warn, info, debug or trace (got loud)");
    }
}
