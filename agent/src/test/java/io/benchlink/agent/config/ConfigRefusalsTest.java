package io.benchlink.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.benchlink.common.config.ConfigException;
import io.benchlink.common.json.Json;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The checks on nested blocks and on profiles that no other test reached (mutation survivors, issue 20). */
class ConfigRefusalsTest {
    private static AgentConfig device(String fields) {
        String json = "{'devices':[{'device_id':'a'," + fields + "}]}";
        return AgentConfigReader.fromJson(Json.parseObject(json.replace('\'', '"')), Path.of("/etc/benchlink"));
    }

    private static AgentConfig profile(String fields) {
        return device("'port':'x','profile':{'pass':'^OK'," + fields + "}");
    }

    @Test
    void refusesAnUnknownKeyInTheUsbBlock() {
        assertThat(device("'usb':{'vid':'0403','pid':'6001','serial':'A5'},'profile':'kv'")).isNotNull();
        assertThatThrownBy(() -> device("'usb':{'vid':'0403','pid':'6001','product':'FT232'},'profile':'kv'"))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("unknown key \"devices[0].usb.product\"");
    }

    @Test
    void refusesAnUnknownKeyInTheSimulationBlock() {
        assertThat(device("'port':'sim','profile':'kv','simulate':{'tests_per_second':5,'seed':1}")).isNotNull();
        assertThatThrownBy(() -> device("'port':'sim','profile':'kv','simulate':{'rate':5}"))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("unknown key \"devices[0].simulate.rate\"");
    }

    @Test
    void refusesACharsetThatDoesNotEncodeLineEndsAsSingleBytes() {
        assertThat(profile("'charset':'windows-1251'").devices().get(0).profile().charset().name())
                .isEqualTo("windows-1251");
        assertThatThrownBy(() -> profile("'charset':'UTF-16'")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("profile.charset").hasMessageContaining("must encode CR and LF as single bytes");
    }

    @Test
    void refusesACommandThatIsNeverSentAndASendingRuleWithoutACommand() {
        assertThat(profile("'command':'STATUS?','command_on_connect':true").devices().get(0).profile().command())
                .isEqualTo("STATUS?");
        assertThatThrownBy(() -> profile("'command':'STATUS?'")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("command needs command_on_connect or command_every_s");
        assertThatThrownBy(() -> profile("'command_every_s':5")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("command is required when command_on_connect or command_every_s is set");
        assertThatThrownBy(() -> profile("'command_on_connect':true")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("command is required");
    }

    @Test
    void refusesASerialRegexWithoutTheSerialGroup() {
        assertThat(profile("'serial':'SN=(?<serial>\\\\S+)'").devices().get(0).profile().serial()).isNotNull();
        assertThatThrownBy(() -> profile("'serial':'SN=(\\\\S+)'")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("profile.serial").hasMessageContaining("must declare the named group (?<serial>");
    }
}
