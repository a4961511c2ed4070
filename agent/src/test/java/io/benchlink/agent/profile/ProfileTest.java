package io.benchlink.agent.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.benchlink.common.status.InvalidFieldException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The profile record's own rules: each check at its boundary, the defaults it fills in, and the command bytes. */
class ProfileTest {
    private static final Pattern PASS = Pattern.compile("^OK");

    /** A regex profile with only a pass pattern, varied in one field by each test. */
    private static Profile regex(Duration timeout, Charset charset, LineEnding ending, int maxLine) {
        return new Profile("p", Profile.Format.REGEX, null, null, null, PASS, null, null, timeout, charset, ending,
                maxLine, null, false, null);
    }

    private static Profile withCommand(String command, boolean onConnect, Duration every) {
        return new Profile("p", Profile.Format.REGEX, null, null, null, PASS, null, null, null, null,
                LineEnding.CRLF, Profile.DEFAULT_MAX_LINE, command, onConnect, every);
    }

    @Test
    void aMissingCharsetIsUtf8AndAMissingLineEndingIsAuto() {
        Profile profile = regex(null, null, null, Profile.DEFAULT_MAX_LINE);
        assertThat(profile.charset()).isEqualTo(StandardCharsets.UTF_8);
        assertThat(profile.lineEnding()).isEqualTo(LineEnding.AUTO);
    }

    @Test
    void aGivenCharsetAndLineEndingAreKept() {
        Profile profile = regex(null, StandardCharsets.ISO_8859_1, LineEnding.CR, Profile.DEFAULT_MAX_LINE);
        assertThat(profile.charset()).isEqualTo(StandardCharsets.ISO_8859_1);
        assertThat(profile.lineEnding()).isEqualTo(LineEnding.CR);
    }

    @Test
    void theMaxLineLengthMayBeSixteenUpToOneMebibyteAndNothingOutside() {
        assertThat(regex(null, null, null, 16).maxLineLength()).isEqualTo(16);
        assertThat(regex(null, null, null, Profile.MAX_MAX_LINE).maxLineLength()).isEqualTo(1 << 20);
        assertThatThrownBy(() -> regex(null, null, null, 15)).isInstanceOf(InvalidFieldException.class)
                .hasMessage("max_line_length must be 16..1048576 (got \"15\")");
        assertThatThrownBy(() -> regex(null, null, null, Profile.MAX_MAX_LINE + 1))
                .isInstanceOf(InvalidFieldException.class).hasMessageStartingWith("max_line_length must be 16..");
    }

    @Test
    void theTestTimeoutMustBeAtLeastOneSecond() {
        assertThat(regex(Duration.ofSeconds(1), null, null, 16).testTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThatThrownBy(() -> regex(Duration.ofMillis(999), null, null, 16))
                .isInstanceOf(InvalidFieldException.class).hasMessageStartingWith("test_timeout_s must be at least 1");
        assertThatThrownBy(() -> regex(Duration.ofSeconds(-5), null, null, 16))
                .isInstanceOf(InvalidFieldException.class).hasMessageStartingWith("test_timeout_s must be at least 1");
        assertThat(regex(null, null, null, 16).testTimeout()).isNull();
    }

    @Test
    void aNameIsRequiredAndNotBlank() {
        assertThatThrownBy(() -> new Profile(" ", Profile.Format.JSONL, null, null, null, null, null, null, null,
                null, null, 16, null, false, null)).hasMessageStartingWith("name is required");
        assertThatThrownBy(() -> new Profile(null, Profile.Format.JSONL, null, null, null, null, null, null, null,
                null, null, 16, null, false, null)).hasMessageStartingWith("name is required");
    }

    @Test
    void aFormatIsRequired() {
        assertThatThrownBy(() -> new Profile("p", null, null, null, null, PASS, null, null, null, null, null, 16,
                null, false, null)).hasMessageStartingWith("format must be regex or jsonl");
    }

    @Test
    void aRegexProfileNeedsAnOutcomePatternButAnyOneOfTheThreeIsEnough() {
        assertThatThrownBy(() -> new Profile("p", Profile.Format.REGEX, null, null, null, null, null, null, null,
                null, null, 16, null, false, null)).hasMessageStartingWith("pass a regex profile needs at least one");
        assertThat(new Profile("p", Profile.Format.REGEX, null, null, null, null, PASS, null, null, null, null, 16,
                null, false, null).fail()).isEqualTo(PASS);
        assertThat(new Profile("p", Profile.Format.REGEX, null, null, null, null, null, PASS, null, null, null, 16,
                null, false, null).error()).isEqualTo(PASS);
        // a JSONL profile has no patterns at all
        assertThat(BuiltinProfiles.jsonl().pass()).isNull();
    }

    @Test
    void theMacPatternMustDeclareTheMacGroup() {
        Pattern noGroup = Pattern.compile("MAC=(\\S+)");
        assertThatThrownBy(() -> new Profile("p", Profile.Format.REGEX, null, noGroup, null, PASS, null, null, null,
                null, null, 16, null, false, null)).isInstanceOf(InvalidFieldException.class)
                .hasMessageStartingWith("mac must declare the named group (?<mac>...)");
    }

    @Test
    void declaresGroupLooksForTheNamedGroupInThePatternSource() {
        assertThat(Profile.declaresGroup(Pattern.compile("(?<mac>x)"), "mac")).isTrue();
        assertThat(Profile.declaresGroup(Pattern.compile("(?<serial>x)"), "mac")).isFalse();
        assertThat(Profile.declaresGroup(null, "mac")).isFalse();
    }

    @Test
    void aPeriodicCommandMustBeAtLeastOneSecondApart() {
        assertThat(withCommand("GO", false, Duration.ofSeconds(1)).commandEvery()).isEqualTo(Duration.ofSeconds(1));
        assertThatThrownBy(() -> withCommand("GO", false, Duration.ofMillis(999)))
                .isInstanceOf(InvalidFieldException.class).hasMessageStartingWith("command_every_s must be at least 1");
    }

    @Test
    void aCommandSentOnConnectOnlyOrPeriodicallyOnlyIsValid() {
        assertThat(withCommand("GO", true, null).commandOnConnect()).isTrue();
        assertThat(withCommand("GO", false, Duration.ofSeconds(2)).commandOnConnect()).isFalse();
        assertThat(withCommand(null, false, null).command()).isNull();
    }

    @Test
    void theCommandBytesAreTheTextInTheCharsetFollowedByTheLineEnding() {
        Profile crlf = withCommand("STATUS?", true, null);
        assertThat(new String(crlf.commandBytes(), StandardCharsets.US_ASCII)).isEqualTo("STATUS?\r\n");
        Profile latin = new Profile("p", Profile.Format.REGEX, null, null, null, PASS, null, null, null,
                StandardCharsets.ISO_8859_1, LineEnding.LF, 16, "Prüf", true, null);
        assertThat(latin.commandBytes()).containsExactly('P', 'r', 0xFC, 'f', '\n');
    }

    @Test
    void eachFormatMakesItsOwnParser() {
        assertThat(BuiltinProfiles.kv().parser()).isInstanceOf(RegexLineParser.class);
        assertThat(BuiltinProfiles.jsonl().parser()).isInstanceOf(JsonLineParser.class);
    }
}
