package io.benchlink.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.benchlink.agent.profile.BuiltinProfiles;
import io.benchlink.agent.serial.SerialSettings;
import io.benchlink.agent.serial.UsbIdentity;
import io.benchlink.agent.simulate.SimulationSettings;
import io.benchlink.common.config.ConfigException;
import io.benchlink.common.json.Json;
import io.benchlink.common.status.InvalidFieldException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's configuration record at the edges of its limits, and the reader's handling of the keys the other
 * config tests do not reach (spool limits, paths, several gateways, serial line settings, simulation settings).
 */
class AgentConfigTest {
    private static final long MIB = 1024 * 1024;
    private static final DeviceConfig DEVICE = new DeviceConfig("bench-07", new SourceSpec.SerialName("COM7"),
            BuiltinProfiles.kv(), null);

    @TempDir
    Path dir;

    private AgentConfig config(long maxBytes, Duration maxAge, List<DeviceConfig> devices) {
        return new AgentConfig("rig-07", List.of(URI.create("wss://gw:8443")), null, dir, maxBytes, maxAge, dir,
                devices);
    }

    private static AgentConfig read(String json, Path base) {
        return AgentConfigReader.fromJson(Json.parseObject(json.replace('\'', '"')), base);
    }

    @Test
    void theSpoolMayBeAsSmallAsOneMebibyteAndNoSmaller() {
        assertThat(config(MIB, Duration.ofDays(1), List.of(DEVICE)).spoolMaxBytes()).isEqualTo(MIB);
        assertThatThrownBy(() -> config(MIB - 1, Duration.ofDays(1), List.of(DEVICE)))
                .isInstanceOf(InvalidFieldException.class)
                .hasMessage("spool_max_bytes must be at least 1048576 (got \"1048575\")");
    }

    @Test
    void statusesMayBeKeptForAsLittleAsAMinuteAndNoLess() {
        assertThat(config(MIB, Duration.ofSeconds(60), List.of(DEVICE)).spoolMaxAge()).hasSeconds(60);
        assertThatThrownBy(() -> config(MIB, Duration.ofSeconds(59), List.of(DEVICE)))
                .hasMessage("spool_max_age_s must be at least 60 (got \"59\")");
        assertThatThrownBy(() -> config(MIB, null, List.of(DEVICE)))
                .hasMessage("spool_max_age_s must be at least 60 (got null)");
    }

    @Test
    void aSpoolDirectoryIsRequired() {
        assertThatThrownBy(() -> new AgentConfig("rig-07", List.of(), null, null, MIB, Duration.ofDays(1), dir,
                List.of(DEVICE))).hasMessageStartingWith("spool_dir is required");
    }

    @Test
    void aGatewayNeedsAWebSocketSchemeAndAHost() {
        assertThat(new AgentConfig("rig-07", List.of(URI.create("WS://gw:8000")), null, dir, MIB,
                Duration.ofDays(1), dir, List.of(DEVICE)).gateways()).hasSize(1);
        assertThatThrownBy(() -> new AgentConfig("rig-07", List.of(URI.create("ws:///ws/agents")), null, dir, MIB,
                Duration.ofDays(1), dir, List.of(DEVICE))).hasMessageStartingWith("gateway must be a ws://");
        assertThatThrownBy(() -> new AgentConfig("rig-07", List.of(URI.create("gw:8000")), null, dir, MIB,
                Duration.ofDays(1), dir, List.of(DEVICE))).hasMessageStartingWith("gateway must be a ws://");
        assertThatThrownBy(() -> new AgentConfig("rig-07", List.of(URI.create("/ws/agents")), null, dir, MIB,
                Duration.ofDays(1), dir, List.of(DEVICE))).hasMessageStartingWith("gateway must be a ws://");
    }

    @Test
    void devicesAreListedByIdInConfigOrder() {
        DeviceConfig other = new DeviceConfig("bench-08", new SourceSpec.Tcp("10.0.0.5", 4001),
                BuiltinProfiles.jsonl(), null);
        AgentConfig config = config(MIB, Duration.ofDays(1), List.of(other, DEVICE));
        assertThat(config.deviceIds()).containsExactly("bench-08", "bench-07");
        assertThat(config.devices().get(1).serial()).isEqualTo(SerialSettings.DEFAULT);
        assertThat(config.trustedCa()).isNull();
    }

    @Test
    void aReadableTrustedCaIsKept() throws Exception {
        Path ca = Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\n");
        AgentConfig config = new AgentConfig("rig-07", List.of(), null, dir, MIB, Duration.ofDays(1), dir,
                List.of(DEVICE), ca);
        assertThat(config.trustedCa()).isEqualTo(ca);
    }

    @Test
    void aDeviceNeedsASourceAndAProfile() {
        assertThatThrownBy(() -> new DeviceConfig("bench-07", null, BuiltinProfiles.kv(), null))
                .hasMessageStartingWith("port is required (or usb)");
        assertThatThrownBy(() -> new DeviceConfig("bench-07", new SourceSpec.SerialName("COM7"), null, null))
                .hasMessageStartingWith("profile is required");
    }

    @Test
    void readsTheSpoolLimitsTokenAndPathsOfAFile() throws Exception {
        Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\n");
        AgentConfig config = read("{'agent_id':'rig-07','token':'t0ken','spool_max_bytes':2097152,"
                + "'spool_max_age_s':3600,'native_dir':'native','trusted_ca':'ca.pem','gateways':['ws://a:1','ws://b:2'],"
                + "'devices':[{'device_id':'b1','port':'COM7','profile':'kv'}]}", dir);
        assertThat(config.token()).isEqualTo("t0ken");
        assertThat(config.spoolMaxBytes()).isEqualTo(2 * MIB);
        assertThat(config.spoolMaxAge()).isEqualTo(Duration.ofHours(1));
        assertThat(config.nativeDir()).isEqualTo(dir.resolve("native"));
        assertThat(config.trustedCa()).isEqualTo(dir.resolve("ca.pem"));
        assertThat(config.gateways()).containsExactly(URI.create("ws://a:1"), URI.create("ws://b:2"));
    }

    @Test
    void readsEverySerialLineSetting() {
        SerialSettings serial = read("{'devices':[{'device_id':'b1','port':'COM7','profile':'kv','baud':115200,"
                + "'data_bits':7,'parity':'even','stop_bits':2,'flow_control':'rtscts'}]}", dir)
                .devices().get(0).serial();
        assertThat(serial).isEqualTo(new SerialSettings(115200, 7, "even", "2", "rtscts"));
        assertThat(read("{'devices':[{'device_id':'b1','port':'COM7','profile':'kv','stop_bits':'1.5'}]}", dir)
                .devices().get(0).serial().stopBits()).isEqualTo("1.5");
        assertThat(read("{'devices':[{'device_id':'b1','port':'COM7','profile':'kv','stop_bits':1.50}]}", dir)
                .devices().get(0).serial().stopBits()).isEqualTo("1.5");
    }

    @Test
    void aSerialNumberBeyondAnIntIsRefusedNotWrapped() {
        assertThatThrownBy(() -> read("{'devices':[{'device_id':'b1','port':'COM7','profile':'kv',"
                + "'baud':4294967296}]}", dir)).isInstanceOf(ConfigException.class)
                .hasMessage("devices[0] (b1): baud is out of range (got \"4294967296\")");
        assertThatThrownBy(() -> read("{'devices':[{'device_id':'b1','port':'COM7','profile':'kv',"
                + "'data_bits':-4294967296}]}", dir)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("data_bits is out of range");
    }

    @Test
    void theLargestIntIsPassedOnToTheSerialSettingsOwnCheck() {
        assertThatThrownBy(() -> read("{'devices':[{'device_id':'b1','port':'COM7','profile':'kv',"
                + "'baud':2147483647}]}", dir)).hasMessageContaining("baud must be 50..4000000");
        assertThatThrownBy(() -> read("{'devices':[{'device_id':'b1','port':'COM7','profile':'kv',"
                + "'data_bits':-2147483648}]}", dir)).hasMessageContaining("data_bits must be 5..8");
    }

    @Test
    void aDeviceIsNamedByItsIdInMessagesOnlyWhenItHasAReadableOne() {
        assertThatThrownBy(() -> read("{'devices':[{'device_id':'b1','port':'COM7'}]}", dir))
                .hasMessageStartingWith("devices[0] (b1): profile is required");
        assertThatThrownBy(() -> read("{'devices':[{'port':'COM7'}]}", dir))
                .hasMessageStartingWith("devices[0]: profile is required");
        assertThatThrownBy(() -> read("{'devices':[{'device_id':{},'port':'COM7'}]}", dir))
                .hasMessageStartingWith("devices[0]: profile is required");
    }

    @Test
    void readsEverySimulationSetting() {
        SourceSpec.Simulated sim = (SourceSpec.Simulated) read("{'devices':[{'device_id':'b1','port':'sim',"
                + "'profile':'kv','simulate':{'format':'jsonl','tests_per_second':4.5,'fail_ratio':0.25,"
                + "'error_ratio':0.125,'seed':42,'max_tests':7}}]}", dir).devices().get(0).source();
        assertThat(sim.settings()).isEqualTo(new SimulationSettings("jsonl", 4.5, 0.25, 0.125, 42, 7));
    }

    @Test
    void aSimulatedDeviceWithoutSettingsTakesTheDefaults() {
        SourceSpec.Simulated sim = (SourceSpec.Simulated) read("{'devices':[{'device_id':'b1','port':'sim',"
                + "'profile':'kv'}]}", dir).devices().get(0).source();
        SimulationSettings d = SimulationSettings.DEFAULT;
        assertThat(sim.settings()).isEqualTo(new SimulationSettings("kv", d.testsPerSecond(), d.failRatio(),
                d.errorRatio(), d.seed(), 0));
        SourceSpec.Simulated partial = (SourceSpec.Simulated) read("{'devices':[{'device_id':'b1','port':'sim',"
                + "'profile':'jsonl','simulate':{'seed':3}}]}", dir).devices().get(0).source();
        assertThat(partial.settings()).isEqualTo(new SimulationSettings("jsonl", d.testsPerSecond(), d.failRatio(),
                d.errorRatio(), 3, 0));
    }

    @Test
    void simulationSettingsNeedThePortSim() {
        assertThatThrownBy(() -> read("{'devices':[{'device_id':'b1','port':'COM7','profile':'kv',"
                + "'simulate':{'seed':3}}]}", dir)).isInstanceOf(ConfigException.class)
                .hasMessage("devices[0] (b1): simulate is only used with \"port\": \"sim\"");
    }

    @Test
    void aUsbBlockNeedsVidAndPidAndMayNameASerial() {
        SourceSpec.Usb usb = (SourceSpec.Usb) read("{'devices':[{'device_id':'b1','usb':{'vid':'0403',"
                + "'pid':'6001'},'profile':'kv'}]}", dir).devices().get(0).source();
        assertThat(usb.identity()).isEqualTo(UsbIdentity.parse("0403:6001"));
        SourceSpec.Usb text = (SourceSpec.Usb) read("{'devices':[{'device_id':'b1','usb':'0403:6001:A5',"
                + "'profile':'kv'}]}", dir).devices().get(0).source();
        assertThat(text.identity()).isEqualTo(UsbIdentity.parse("0403:6001:A5"));
        assertThatThrownBy(() -> read("{'devices':[{'device_id':'b1','usb':{'vid':'0403'},'profile':'kv'}]}", dir))
                .isInstanceOf(ConfigException.class).hasMessageContaining("devices[0].usb needs vid and pid");
        assertThatThrownBy(() -> read("{'devices':[{'device_id':'b1','usb':{'pid':'6001'},'profile':'kv'}]}", dir))
                .isInstanceOf(ConfigException.class).hasMessageContaining("devices[0].usb needs vid and pid");
        assertThatThrownBy(() -> read("{'devices':[{'device_id':'b1','port':'COM7','usb':'0403:6001',"
                + "'profile':'kv'}]}", dir)).hasMessageContaining("needs exactly one of");
    }

    @Test
    void refusesGatewaysThatAreNotUrlStringsAndEmptyPaths() {
        String device = ",'devices':[{'device_id':'b1','port':'COM7','profile':'kv'}]}";
        assertThatThrownBy(() -> read("{'gateways':[5]" + device, dir)).isInstanceOf(ConfigException.class)
                .hasMessage("gateways must be an array of ws:// URLs");
        assertThatThrownBy(() -> read("{'gateway':'ws://a b'" + device, dir)).isInstanceOf(ConfigException.class)
                .hasMessage("gateway is not a URL (got \"ws://a b\")");
        assertThatThrownBy(() -> read("{'spool_dir':' '" + device, dir)).isInstanceOf(ConfigException.class)
                .hasMessage("spool_dir must not be empty");
        assertThatThrownBy(() -> read("{'devices':[5]}", dir)).isInstanceOf(ConfigException.class)
                .hasMessage("devices[0] must be an object");
        assertThatThrownBy(() -> read("{'spool_max_bytes':10" + device, dir)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("spool_max_bytes must be at least");
    }
}
