package io.benchlink.agent.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.benchlink.common.status.StatusKind;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class RegexLineParserTest {
    private static Profile withPass(String pass) {
        return new Profile("t", Profile.Format.REGEX, null, null, null, Pattern.compile(pass), null, null, null,
                StandardCharsets.UTF_8, LineEnding.AUTO, Profile.DEFAULT_MAX_LINE, null, false, null);
    }

    @Test
    void stopsAPathologicalRegexInsteadOfStallingTheReader() {
        // JDK 9+ defuses (a+)+$; nested .* with a repeat count still backtracks for minutes without a budget
        LineParser parser = withPass("(.*a){12}$").parser();
        String line = "a".repeat(40) + "!";
        assertThatThrownBy(() -> parser.parse(line)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("step budget");
        // the same parser still reads the next, ordinary line
        assertThat(parser.parse("a".repeat(12)).result()).isEqualTo(StatusKind.SUCCESS);
    }

    @Test
    void takesMacAndSerialFromAResultPatternsOwnGroups() {
        Profile profile = new Profile("t", Profile.Format.REGEX, null, null, null,
                Pattern.compile("^OK (?<mac>\\S+) (?<serial>\\S+) (?<result>.*)"), null, null, null, null, null,
                Profile.DEFAULT_MAX_LINE, null, false, null);
        LineFacts facts = profile.parser().parse("OK 02:00:00:00:00:01 SN-1 all good");
        assertThat(facts.mac()).isEqualTo("02:00:00:00:00:01");
        assertThat(facts.serial()).isEqualTo("SN-1");
        assertThat(facts.resultText()).isEqualTo("all good");
    }
}
