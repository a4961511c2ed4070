package io.benchlink.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AgentCliTest {
    @TempDir
    Path dir;

    private Path config(String json) throws IOException {
        Path file = dir.resolve("agent.json");
        Files.writeString(file, json.replace('\'', '"'));
        return file;
    }

    private static final String GOOD_DEVICE = "{'device_id':'bench-07','port':'/dev/ttyUSB0','profile':'kv'}";

    @Test
    void acceptsAValidConfig() throws IOException {
        Path file = config("{'agent_id':'rig-07','gateway':'ws://gw:8000/ws/agents','devices':[" + GOOD_DEVICE
                + ",{'device_id':'bench-08','port':'tcp:10.0.0.5:4001','profile':'jsonl'}"
                + ",{'device_id':'bench-09','usb':{'vid':'0403','pid':'6001','serial':'A5'},'profile':'kv','baud':115200,"
                + "'parity':'even','stop_bits':1.5,'flow_control':'rtscts'}]}");
        CliRun run = CliRun.of("check-config", "--config", file.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("agent rig-07, 3 device(s): bench-07, bench-08, bench-09");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "unknown top-level key | {'agent_id':'r','devicez':[]} | unknown key \"devicez\"",
        "unknown device key | {'devices':[{'device_id':'a','port':'x','profile':'kv','bauds':9600}]} | unknown key \"devices[0].bauds\"",
        "bad regex | {'devices':[{'device_id':'a','port':'x','profile':{'pass':'RESULT=(PASS'}}]} | devices[0].profile.pass is not a valid regex",
        "regex without named group | {'devices':[{'device_id':'a','port':'x','profile':{'pass':'OK','mac':'MAC=(\\\\S+)'}}]} | must declare the named group (?<mac>",
        "duplicate device_id | {'devices':[" + GOOD_DEVICE + "," + GOOD_DEVICE
                + "]} | duplicate device_id (got \"bench-07\")",
        "missing port | {'devices':[{'device_id':'a','profile':'kv'}]} | needs exactly one of \"port\" or \"usb\"",
        "missing profile | {'devices':[{'device_id':'a','port':'x'}]} | profile is required",
        "unknown profile | {'devices':[{'device_id':'a','port':'x','profile':'kvv'}]} | no built-in profile or file named \"kvv\"",
        "bad baud | {'devices':[{'device_id':'a','port':'x','profile':'kv','baud':70000000}]} | baud must be 50..4000000",
        "baud as text | {'devices':[{'device_id':'a','port':'x','profile':'kv','baud':'fast'}]} | devices[0].baud must be an integer",
        "bad parity | {'devices':[{'device_id':'a','port':'x','profile':'kv','parity':'maybe'}]} | parity must be none, odd, even, mark or space",
        "reserved device_id | {'devices':[{'device_id':'all','port':'x','profile':'kv'}]} | reserved word",
        "bad tcp port | {'devices':[{'device_id':'a','port':'tcp:host:99999','profile':'kv'}]} | TCP port must be 1..65535",
        "bad gateway | {'gateway':'http://gw:8000','devices':[" + GOOD_DEVICE
                + "]} | gateway must be a ws:// or wss:// URL",
        "no devices | {'devices':[]} | devices must list at least one device",
        "bad usb id | {'devices':[{'device_id':'a','usb':'04g3:6001','profile':'kv'}]} | vid must be a 4-digit hex id",
        "not json | {'devices': | is not a JSON object",
        "unreadable trusted CA | {'trusted_ca':'no-such-ca.pem','devices':[" + GOOD_DEVICE
                + "]} | trusted_ca must be a readable PEM file",
    })
    void refusesABadConfigWithExitTwoAndOneLine(String kind, String json, String reason) throws IOException {
        CliRun run = CliRun.of("check-config", "--config", config(json).toString());
        assertThat(run.exitCode()).as(kind).isEqualTo(2);
        assertThat(run.errLines()).as(kind).hasSize(1);
        assertThat(run.err()).as(kind).startsWith("config: ").contains(reason);
        assertThat(run.out()).isEmpty();
    }

    @Test
    void refusesAMissingConfigFile() {
        CliRun run = CliRun.of("check-config", "--config", dir.resolve("nope.json").toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines()).hasSize(1);
        assertThat(run.err()).contains("cannot read").contains("nope.json");
    }

    @Test
    void readsAProfileFileRelativeToTheConfig() throws IOException {
        Files.writeString(dir.resolve("acme.json"), "{\"name\":\"acme\",\"start\":\"^BEGIN\","
                + "\"pass\":\"^OK (?<result>.*)\",\"test_timeout_s\":60,\"line_ending\":\"\\r\",\"charset\":\"windows-1251\"}");
        Path file = config("{'devices':[{'device_id':'a','port':'x','profile':'acme.json'}]}");
        assertThat(CliRun.of("check-config", "--config", file.toString()).exitCode()).isZero();
    }

    @Test
    void refusesAProfileFileWithAnUnknownKey() throws IOException {
        Files.writeString(dir.resolve("acme.json"), "{\"pass\":\"OK\",\"timeout\":60}");
        CliRun run = CliRun.of("check-config", "--config",
                config("{'devices':[{'device_id':'a','port':'x','profile':'acme.json'}]}").toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("unknown key").contains("timeout");
    }

    @Test
    void runRefusesConfigTogetherWithDeviceFlags() throws IOException {
        Path file = config("{'devices':[" + GOOD_DEVICE + "]}");
        CliRun run = CliRun.of("run", "--config", file.toString(), "--port", "/dev/ttyUSB1");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines()).hasSize(1);
    }

    @Test
    void runNeedsAPortInOneDeviceMode() {
        CliRun run = CliRun.of("run", "--gateway", "ws://gw:8000/ws/agents", "--device-id", "b1", "--profile", "kv");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().strip()).isEqualTo("config: --port (or --usb) is required, or use --config FILE");
    }

    @Test
    void runNeedsAGatewayUnlessPrinting() {
        CliRun run = CliRun.of("run", "--device-id", "b1", "--port", "sim", "--profile", "kv");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("a gateway is required");
    }

    @Test
    void runRefusesABadFlagValueWithOneLine() {
        CliRun run = CliRun.of("run", "--print", "--device-id", "b1", "--port", "sim", "--profile", "kv", "--baud",
                "12");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines()).hasSize(1);
        assertThat(run.err()).contains("baud must be 50..4000000");
    }

    @Test
    void unknownOptionIsAUsageErrorWithOneLine() {
        CliRun run = CliRun.of("run", "--bogus");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines()).hasSize(1);
        assertThat(run.err()).contains("--bogus");
    }

    @Test
    void simulateRefusesABadRatio() {
        CliRun run = CliRun.of("simulate", "--fail-ratio", "1.5");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines()).hasSize(1);
    }

    @ParameterizedTest
    @CsvSource({"run", "ports", "simulate", "check-config"})
    void everyCommandHasHelp(String command) {
        CliRun run = CliRun.of(command, "--help");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("Usage: agent " + command);
    }

    @Test
    void printsTheVersion() {
        CliRun run = CliRun.of("--version");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("benchlink agent ");
    }

    @Test
    void runPrintsStatusesFromAnInProcessSimulatedTester() {
        CliRun run = CliRun.of("run", "--print", "--device-id", "sim-1", "--port", "sim", "--profile", "kv",
                "--run-for", "2");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("\"status\":\"online\"").contains("\"device_id\":\"sim-1\"")
                .containsPattern("\"status\":\"(success|fail|error)\"");
    }

    @Test
    void checkConfigTakesTheConfigFileOnEitherSideOfTheCommand() throws IOException {
        Path file = config("{'devices':[" + GOOD_DEVICE + "]}");
        assertThat(CliRun.of("--config", file.toString(), "check-config").exitCode()).isZero();
        assertThat(CliRun.of("check-config", "--config", file.toString()).exitCode()).isZero();
        CliRun missing = CliRun.of("check-config");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err().strip()).isEqualTo(
                "agent: Missing required option: '--config=FILE' (see 'agent check-config --help')");
    }

    @Test
    void aBadFlagPrintsOneLineAndTheHintToHelpLikeTheGateway() {
        CliRun run = CliRun.of("run", "--print", "--baud", "fast");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines()).hasSize(1);
        assertThat(run.err().strip()).startsWith("agent: ").contains("--baud", "'fast'")
                .endsWith("(see 'agent run --help')");
        assertThat(run.out()).isEmpty();
    }
}
