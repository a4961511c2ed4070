package io.benchlink.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonParser;
import io.benchlink.agent.serial.SerialSettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AgentConfigReaderTest {
    private static AgentConfig read(String json, Path base) {
        return AgentConfigReader.fromJson(JsonParser.parseString(json.replace('\'', '"')).getAsJsonObject(), base);
    }

    @Test
    void fillsDefaultsAndResolvesPathsAgainstTheConfigDirectory() {
        Path base = Path.of("/etc/benchlink");
        AgentConfig config = read("{'agent_id':'rig-07','gateway':'ws://a:8000/ws/agents','gateways':['ws://b:8000'],"
                + "'spool_dir':'spool','devices':[{'device_id':'b1','port':'COM7','profile':'kv'}]}", base);
        assertThat(config.gateways()).containsExactly(URI.create("ws://a:8000/ws/agents"), URI.create("ws://b:8000"));
        assertThat(config.spoolDir()).isEqualTo(base.resolve("spool"));
        assertThat(config.spoolMaxBytes()).isEqualTo(1L << 30);
        assertThat(config.spoolMaxAge()).isEqualTo(Duration.ofDays(30));
        assertThat(config.nativeDir()).isEqualTo(AgentConfigReader.defaultNativeDir().resolve("rig-07"));
        assertThat(config.token()).isNull();
        DeviceConfig device = config.devices().get(0);
        assertThat(device.source()).isEqualTo(new SourceSpec.SerialName("COM7"));
        assertThat(device.serial()).isEqualTo(SerialSettings.DEFAULT);
        assertThat(device.profile().name()).isEqualTo("kv");
    }

    @Test
    void simulatedDeviceTakesItsFormatFromTheProfile() {
        AgentConfig config = read("{'devices':[{'device_id':'d1','port':'sim','profile':'jsonl',"
                + "'simulate':{'tests_per_second':5,'seed':9}}]}", Path.of("."));
        SourceSpec.Simulated sim = (SourceSpec.Simulated) config.devices().get(0).source();
        assertThat(sim.settings().format()).isEqualTo("jsonl");
        assertThat(sim.settings().testsPerSecond()).isEqualTo(5.0);
        assertThat(sim.settings().seed()).isEqualTo(9);
    }

    @Test
    void defaultAgentIdIsAValidId() {
        assertThat(AgentConfigReader.defaultAgentId()).matches("[A-Za-z0-9._-]{1,64}");
    }
}
