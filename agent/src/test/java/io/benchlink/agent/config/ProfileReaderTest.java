package io.benchlink.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.benchlink.agent.profile.LineEnding;
import io.benchlink.agent.profile.Profile;
import io.benchlink.common.config.ConfigException;
import io.benchlink.common.config.StrictObject;
import io.benchlink.common.json.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Profile references (built-in name, file, inline object) and every field of a profile object, with its refusals. */
class ProfileReaderTest {
    @TempDir
    Path dir;

    private static Profile read(String json) {
        return ProfileReader.read(new StrictObject(Json.parseObject(json.replace('\'', '"')), "devices[0].profile",
                null));
    }

    @Test
    void readsEveryFieldOfARegexProfile() {
        Profile profile = read("{'name':'acme','format':'regex','start':'^BEGIN','mac':'M=(?<mac>\\\\S+)',"
                + "'serial':'S=(?<serial>\\\\S+)','pass':'^OK','fail':'^NG','error':'^ERR','test_timeout_s':90,"
                + "'charset':'ISO-8859-1','line_ending':'cr','max_line_length':512,'command':'GO',"
                + "'command_on_connect':true,'command_every_s':30}");
        assertThat(profile.name()).isEqualTo("acme");
        assertThat(profile.format()).isEqualTo(Profile.Format.REGEX);
        assertThat(profile.start().pattern()).isEqualTo("^BEGIN");
        assertThat(profile.mac().pattern()).isEqualTo("M=(?<mac>\\S+)");
        assertThat(profile.serial().pattern()).isEqualTo("S=(?<serial>\\S+)");
        assertThat(profile.pass().pattern()).isEqualTo("^OK");
        assertThat(profile.fail().pattern()).isEqualTo("^NG");
        assertThat(profile.error().pattern()).isEqualTo("^ERR");
        assertThat(profile.testTimeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(profile.charset()).isEqualTo(StandardCharsets.ISO_8859_1);
        assertThat(profile.lineEnding()).isEqualTo(LineEnding.CR);
        assertThat(profile.maxLineLength()).isEqualTo(512);
        assertThat(profile.command()).isEqualTo("GO");
        assertThat(profile.commandOnConnect()).isTrue();
        assertThat(profile.commandEvery()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void aProfileWithoutNameOrFormatIsACustomRegexProfileWithDefaults() {
        Profile profile = read("{'pass':'^OK'}");
        assertThat(profile.name()).isEqualTo("custom");
        assertThat(profile.format()).isEqualTo(Profile.Format.REGEX);
        assertThat(profile.maxLineLength()).isEqualTo(Profile.DEFAULT_MAX_LINE);
        assertThat(profile.lineEnding()).isEqualTo(LineEnding.AUTO);
        assertThat(profile.charset()).isEqualTo(StandardCharsets.UTF_8);
        assertThat(profile.testTimeout()).isNull();
        assertThat(profile.commandOnConnect()).isFalse();
        assertThat(profile.commandEvery()).isNull();
    }

    @Test
    void aJsonlProfileTakesNoPatterns() {
        assertThat(read("{'format':'jsonl'}").format()).isEqualTo(Profile.Format.JSONL);
        assertThatThrownBy(() -> read("{'format':'jsonl','fail':'^NG'}")).isInstanceOf(ConfigException.class)
                .hasMessage("devices[0].profile.fail is not used by format jsonl");
    }

    @Test
    void anUnknownFormatIsRefusedWithWhatWasGiven() {
        assertThatThrownBy(() -> read("{'format':'xml','pass':'^OK'}")).isInstanceOf(ConfigException.class)
                .hasMessage("devices[0].profile.format must be regex or jsonl (got \"xml\")");
    }

    @Test
    void aBadRegexIsRefusedWithItsReasonAndPosition() {
        assertThatThrownBy(() -> read("{'pass':'(OK'}")).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("devices[0].profile.pass is not a valid regex: ")
                .hasMessageContaining("near index");
    }

    @Test
    void anUnknownCharsetOrLineEndingIsRefused() {
        assertThatThrownBy(() -> read("{'pass':'^OK','charset':'no-such-charset'}"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("devices[0].profile.charset is not a known charset (got \"no-such-charset\")");
        assertThatThrownBy(() -> read("{'pass':'^OK','line_ending':'nl'}")).isInstanceOf(ConfigException.class)
                .hasMessage("devices[0].profile.line_ending must be auto, \\n, \\r\\n or \\r");
    }

    @Test
    void aMaxLineLengthBeyondAnIntIsRefusedNotWrapped() {
        assertThatThrownBy(() -> read("{'pass':'^OK','max_line_length':4294967312}"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("devices[0].profile.max_line_length must be an integer in range");
        assertThatThrownBy(() -> read("{'pass':'^OK','max_line_length':-4294967312}"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("devices[0].profile.max_line_length must be an integer in range");
    }

    @Test
    void theLargestAndSmallestIntAreLeftToTheProfilesOwnCheck() {
        assertThatThrownBy(() -> read("{'pass':'^OK','max_line_length':2147483647}"))
                .hasMessageStartingWith("devices[0].profile.max_line_length must be 16..");
        assertThatThrownBy(() -> read("{'pass':'^OK','max_line_length':-2147483648}"))
                .hasMessageStartingWith("devices[0].profile.max_line_length must be 16..");
    }

    @Test
    void aRuleOfTheProfileRecordIsReportedAtTheProfilesPath() {
        assertThatThrownBy(() -> read("{'pass':'^OK','max_line_length':8}")).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("devices[0].profile.max_line_length must be 16..");
    }

    @Test
    void anUnknownKeyIsRefused() {
        assertThatThrownBy(() -> read("{'pass':'^OK','timeout':5}")).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("unknown key \"devices[0].profile.timeout\"");
    }

    @Test
    void aBuiltinNameResolvesWithoutAFile() {
        assertThat(ProfileReader.resolve("kv", dir, "devices[0]").name()).isEqualTo("kv");
        assertThat(ProfileReader.resolve("jsonl", dir, "devices[0]").format()).isEqualTo(Profile.Format.JSONL);
    }

    @Test
    void aFileIsReadRelativeToTheBaseDirectory() throws Exception {
        Files.writeString(dir.resolve("acme.json"), "{\"name\":\"acme\",\"pass\":\"^OK\"}");
        assertThat(ProfileReader.resolve("acme.json", dir, "devices[0]").name()).isEqualTo("acme");
    }

    @Test
    void aFileThatIsNotJsonNamesTheFile() throws Exception {
        Path file = Files.writeString(dir.resolve("broken.json"), "pass: ^OK");
        assertThatThrownBy(() -> ProfileReader.resolve("broken.json", dir, "devices[0]"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("devices[0]: " + file + " is not a JSON object (");
    }

    @Test
    void aFileFaultNamesTheFileInThePath() throws Exception {
        Files.writeString(dir.resolve("acme.json"), "{\"format\":\"xml\"}");
        assertThatThrownBy(() -> ProfileReader.resolve("acme.json", dir, "devices[0]"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("devices[0](acme.json).format must be regex or jsonl");
    }

    @Test
    void aNameThatIsNeitherBuiltinNorAFileListsTheBuiltins() {
        assertThatThrownBy(() -> ProfileReader.resolve("acme.json", dir, "devices[0]"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("devices[0]: no built-in profile or file named \"acme.json\" (built-ins: kv, jsonl)");
        assertThatThrownBy(() -> ProfileReader.resolve(".", dir, "devices[0]")) // a directory is not a profile
                .isInstanceOf(ConfigException.class).hasMessageContaining("no built-in profile or file");
    }

    @Test
    void aProfileReferenceMustBeANameOrAnObject() {
        StrictObject device = new StrictObject(Json.parseObject("{\"profile\":5,\"inline\":{\"pass\":\"^OK\"}}"),
                "devices[0]", null);
        assertThatThrownBy(() -> ProfileReader.fromElement(device.raw("profile"), dir, "devices[0]", device,
                "profile")).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("devices[0].profile must be a profile name, a file path or an object");
        assertThat(ProfileReader.fromElement(device.raw("inline"), dir, "devices[0]", device, "inline").pass())
                .isNotNull();
    }
}
