package io.benchlink.agent.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.benchlink.agent.profile.BuiltinProfiles;
import io.benchlink.agent.profile.LineFacts;
import io.benchlink.agent.profile.LineParser;
import io.benchlink.common.status.InvalidFieldException;
import io.benchlink.common.status.StatusKind;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The simulated tester's output, read back with the built-in profiles it imitates. */
class SimulatedTesterTest {

    @Test
    void aKvTestIsStartMacSerialAMeasurementAndAResult() {
        List<String> lines = new SimulatedTester(settings("kv", 0, 0, 0)).nextTest();
        assertThat(lines).hasSize(5);
        assertThat(lines.get(0)).isEqualTo("TEST=START");
        assertThat(lines.get(1)).matches("MAC=02(:[0-9A-F]{2}){5}");
        assertThat(lines.get(2)).isEqualTo("SN=SN-000001");
        assertThat(lines.get(3)).matches("MEAS VCC=3\\.[23]\\d\\d");
        assertThat(lines.get(4)).isEqualTo("RESULT=PASS all 12 checks passed");
    }

    @Test
    void aJsonlTestIsReadByTheJsonlProfile() {
        List<String> lines = new SimulatedTester(settings("jsonl", 0, 0, 0)).nextTest();
        LineParser parser = BuiltinProfiles.jsonl().parser();
        assertThat(lines).hasSize(4);
        assertThat(parser.parse(lines.get(0)).start()).isTrue();
        LineFacts info = parser.parse(lines.get(1));
        assertThat(info.serial()).isEqualTo("SN-000001");
        assertThat(info.mac()).startsWith("02:");
        assertThat(lines.get(2)).matches("\\{\"event\":\"measure\",\"vcc\":3\\.[23]\\d\\d}");
        assertThat(parser.parse(lines.get(3)).result()).isEqualTo(StatusKind.SUCCESS);
        assertThat(parser.parse(lines.get(3)).resultText()).isEqualTo("all 12 checks passed");
    }

    @ParameterizedTest
    @CsvSource({"1, 0, FAIL", "0, 1, ERROR", "0, 0, SUCCESS", "0.5, 0.5, FAIL|ERROR"})
    void theRatiosDecideTheOutcomes(double fail, double error, String expected) {
        SimulatedTester tester = new SimulatedTester(settings("kv", fail, error, 0));
        LineParser parser = BuiltinProfiles.kv().parser();
        List<String> outcomes = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            List<String> lines = tester.nextTest();
            outcomes.add(parser.parse(lines.get(lines.size() - 1)).result().name());
        }
        assertThat(String.join("|", outcomes.stream().distinct().sorted().toList()))
                .isEqualTo(String.join("|", List.of(expected.split("\\|")).stream().sorted().toList()));
    }

    @Test
    void theSameSeedGivesTheSameTests() {
        SimulatedTester a = new SimulatedTester(settings("kv", 0.3, 0.3, 0));
        SimulatedTester b = new SimulatedTester(settings("kv", 0.3, 0.3, 0));
        for (int i = 0; i < 10; i++) {
            assertThat(a.nextTest()).isEqualTo(b.nextTest());
        }
        assertThat(a.testsStarted()).isEqualTo(10);
    }

    @Test
    void stopsAfterMaxTestsOrNever() {
        SimulatedTester limited = new SimulatedTester(settings("kv", 0, 0, 2));
        assertThat(limited.hasNext()).isTrue();
        limited.nextTest();
        assertThat(limited.hasNext()).isTrue();
        limited.nextTest();
        assertThat(limited.hasNext()).isFalse();
        assertThat(limited.nextTest().get(2)).isEqualTo("SN=SN-000003"); // asked anyway: still well formed

        SimulatedTester endless = new SimulatedTester(settings("kv", 0, 0, 0));
        for (int i = 0; i < 5; i++) {
            endless.nextTest();
        }
        assertThat(endless.hasNext()).isTrue();
    }

    @Test
    void outputWritesEveryLineWithCrlfUntilTheTesterIsDone() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SimulationSettings settings = new SimulationSettings("kv", 10_000, 0, 0, 7, 3);
        assertThat(SimulatedOutput.run(settings, out, () -> false)).isEqualTo(15);
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text.split("\r\n", -1)).hasSize(16);
        assertThat(text).startsWith("TEST=START\r\nMAC=").endsWith("RESULT=PASS all 12 checks passed\r\n");
    }

    @Test
    void outputStopsWhenAsked() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(SimulatedOutput.run(settings("kv", 0, 0, 0), out, () -> true)).isZero();
        assertThat(out.size()).isZero();
    }

    @Test
    void settingsRefuseValuesOutsideTheirRanges() {
        assertThatThrownBy(() -> new SimulationSettings("csv", 1, 0, 0, 1, 0)).isInstanceOf(InvalidFieldException.class)
                .hasMessageStartingWith("format ");
        assertThatThrownBy(() -> new SimulationSettings("kv", 0.0009, 0, 0, 1, 0))
                .hasMessageStartingWith("tests_per_second ");
        assertThatThrownBy(() -> new SimulationSettings("kv", 10_000.1, 0, 0, 1, 0))
                .hasMessageStartingWith("tests_per_second ");
        assertThatThrownBy(() -> new SimulationSettings("kv", Double.NaN, 0, 0, 1, 0))
                .hasMessageStartingWith("tests_per_second ");
        assertThatThrownBy(() -> new SimulationSettings("kv", 1, -0.1, 0, 1, 0)).hasMessageStartingWith("fail_ratio ");
        assertThatThrownBy(() -> new SimulationSettings("kv", 1, 0, -0.1, 1, 0)).hasMessageStartingWith("fail_ratio ");
        assertThatThrownBy(() -> new SimulationSettings("kv", 1, 0.6, 0.5, 1, 0)).hasMessageStartingWith("fail_ratio ");
        assertThatThrownBy(() -> new SimulationSettings("kv", 1, 0, 0, 1, -1)).hasMessageStartingWith("max_tests ");
    }

    @Test
    void settingsAcceptTheirBounds() {
        assertThat(new SimulationSettings("jsonl", 0.001, 0.5, 0.5, 1, 0).testPeriodNanos())
                .isEqualTo(1_000_000_000_000L);
        assertThat(new SimulationSettings("kv", 10_000, 1, 0, 1, 0).testPeriodNanos()).isEqualTo(100_000);
        assertThat(new SimulationSettings("kv", 2, 0, 1, 1, 0).testPeriodNanos()).isEqualTo(500_000_000);
    }

    private static SimulationSettings settings(String format, double fail, double error, long maxTests) {
        return new SimulationSettings(format, 1, fail, error, 42, maxTests);
    }
}
