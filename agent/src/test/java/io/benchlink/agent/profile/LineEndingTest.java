package io.benchlink.agent.profile;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which bytes end a line, which are dropped, what a command gets appended, and every spelling a profile may use. */
class LineEndingTest {
    @Test
    void autoEndsLinesAtCrAndLfAndDropsOnlyNul() {
        assertThat(LineEnding.AUTO.terminates((byte) '\n')).isTrue();
        assertThat(LineEnding.AUTO.terminates((byte) '\r')).isTrue();
        assertThat(LineEnding.AUTO.terminates((byte) 'x')).isFalse();
        assertThat(LineEnding.AUTO.ignores((byte) 0)).isTrue();
        assertThat(LineEnding.AUTO.ignores((byte) '\r')).isFalse();
        assertThat(LineEnding.AUTO.ignores((byte) 'x')).isFalse();
    }

    @Test
    void lfAndCrlfEndLinesAtLfAndDropCrAndNul() {
        for (LineEnding ending : new LineEnding[] {LineEnding.LF, LineEnding.CRLF}) {
            assertThat(ending.terminates((byte) '\n')).as(ending.name()).isTrue();
            assertThat(ending.terminates((byte) '\r')).as(ending.name()).isFalse();
            assertThat(ending.ignores((byte) '\r')).as(ending.name()).isTrue();
            assertThat(ending.ignores((byte) 0)).as(ending.name()).isTrue();
            assertThat(ending.ignores((byte) '\n')).as(ending.name()).isFalse();
            assertThat(ending.ignores((byte) 'x')).as(ending.name()).isFalse();
        }
    }

    @Test
    void crEndsLinesAtCrAndDropsLfAndNul() {
        assertThat(LineEnding.CR.terminates((byte) '\r')).isTrue();
        assertThat(LineEnding.CR.terminates((byte) '\n')).isFalse();
        assertThat(LineEnding.CR.ignores((byte) '\n')).isTrue();
        assertThat(LineEnding.CR.ignores((byte) 0)).isTrue();
        assertThat(LineEnding.CR.ignores((byte) '\r')).isFalse();
        assertThat(LineEnding.CR.ignores((byte) 'x')).isFalse();
    }

    @Test
    void aCommandGetsTheModesOwnEndingAndAutoSendsCrlf() {
        assertThat(new String(LineEnding.AUTO.suffixBytes(), StandardCharsets.US_ASCII)).isEqualTo("\r\n");
        assertThat(new String(LineEnding.CRLF.suffixBytes(), StandardCharsets.US_ASCII)).isEqualTo("\r\n");
        assertThat(new String(LineEnding.LF.suffixBytes(), StandardCharsets.US_ASCII)).isEqualTo("\n");
        assertThat(new String(LineEnding.CR.suffixBytes(), StandardCharsets.US_ASCII)).isEqualTo("\r");
    }

    @ParameterizedTest
    @CsvSource({"auto,AUTO", "AUTO,AUTO", "lf,LF", "\\n,LF", "crlf,CRLF", "CRLF,CRLF", "\\r\\n,CRLF", "cr,CR",
        "\\r,CR"})
    void readsEveryProfileSpelling(String text, LineEnding expected) {
        assertThat(LineEnding.parse(text)).isEqualTo(expected);
    }

    @Test
    void readsTheRawControlCharactersAndRefusesAnythingElse() {
        assertThat(LineEnding.parse("\n")).isEqualTo(LineEnding.LF);
        assertThat(LineEnding.parse("\r\n")).isEqualTo(LineEnding.CRLF);
        assertThat(LineEnding.parse("\r")).isEqualTo(LineEnding.CR);
        assertThat(LineEnding.parse("nl")).isNull();
        assertThat(LineEnding.parse(null)).isNull();
    }
}
