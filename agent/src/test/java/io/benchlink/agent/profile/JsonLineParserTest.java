package io.benchlink.agent.profile;

import static org.assertj.core.api.Assertions.assertThat;

import io.benchlink.common.status.StatusKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonLineParserTest {
    private final JsonLineParser parser = new JsonLineParser();

    @Test
    void aResultWithoutAMessageCarriesTheRawLineAsItsText() {
        String line = "{\"event\":\"fail\",\"sn\":\"SN-9\"}";
        LineFacts facts = parser.parse("  " + line + "  ");
        assertThat(facts.result()).isEqualTo(StatusKind.FAIL);
        assertThat(facts.resultText()).isEqualTo(line);
    }

    @Test
    void aResultWithABlankMessageCarriesTheRawLineAsItsText() {
        String line = "{\"event\":\"error\",\"message\":\"  \"}";
        assertThat(parser.parse(line).resultText()).isEqualTo(line);
    }

    @Test
    void aResultWithAMessageCarriesTheMessage() {
        LineFacts facts = parser.parse("{\"event\":\"pass\",\"message\":\"12 of 12\"}");
        assertThat(facts.result()).isEqualTo(StatusKind.SUCCESS);
        assertThat(facts.resultText()).isEqualTo("12 of 12");
    }

    @Test
    void aLineThatEndsNoTestHasNoResultTextEvenWithAMessage() {
        LineFacts facts = parser.parse("{\"event\":\"progress\",\"message\":\"step 3\"}");
        assertThat(facts.result()).isNull();
        assertThat(facts.resultText()).isNull();
        assertThat(facts.isEmpty()).isTrue();
        assertThat(parser.parse("{\"message\":\"no event at all\"}").resultText()).isNull();
    }

    @ParameterizedTest
    @CsvSource({"pass, SUCCESS", "PASS, SUCCESS", "Fail, FAIL", "error, ERROR"})
    void eventsAreReadInAnyCase(String event, StatusKind expected) {
        assertThat(parser.parse("{\"event\":\"" + event + "\"}").result()).isEqualTo(expected);
    }

    @Test
    void startIsReadInAnyCaseAndIsNotAResult() {
        LineFacts facts = parser.parse("{\"event\":\"START\"}");
        assertThat(facts.start()).isTrue();
        assertThat(facts.result()).isNull();
        assertThat(parser.parse("{\"event\":\"pass\"}").start()).isFalse();
    }

    @Test
    void snWinsOverSerialNumberWhichIsTheFallback() {
        assertThat(parser.parse("{\"sn\":\"A\",\"serial_number\":\"B\"}").serial()).isEqualTo("A");
        assertThat(parser.parse("{\"serial_number\":\"B\"}").serial()).isEqualTo("B");
        assertThat(parser.parse("{\"mac\":\"aa:bb:cc:dd:ee:ff\"}").mac()).isEqualTo("aa:bb:cc:dd:ee:ff");
    }

    @Test
    void fieldsThatAreNotScalarsAreIgnored() {
        LineFacts facts = parser.parse("{\"event\":{\"x\":1},\"sn\":[1],\"mac\":null}");
        assertThat(facts).isEqualTo(LineFacts.NONE);
        assertThat(parser.parse("{\"sn\":42}").serial()).isEqualTo("42");
    }
}
