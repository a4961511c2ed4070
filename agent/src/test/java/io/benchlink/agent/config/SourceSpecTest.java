package io.benchlink.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.benchlink.agent.simulate.SimulationSettings;
import io.benchlink.common.status.InvalidFieldException;
import org.junit.jupiter.api.Test;

class SourceSpecTest {
    private static SourceSpec parse(String text) {
        return SourceSpec.parse(text, SimulationSettings.DEFAULT);
    }

    @Test
    void readsEachSourceSpelling() {
        assertThat(parse("/dev/ttyUSB0")).isEqualTo(new SourceSpec.SerialName("/dev/ttyUSB0"));
        assertThat(parse("COM7")).isEqualTo(new SourceSpec.SerialName("COM7"));
        assertThat(parse("tcp:10.0.0.5:4001")).isEqualTo(new SourceSpec.Tcp("10.0.0.5", 4001));
        assertThat(parse("tcp:[::1]:4001")).isEqualTo(new SourceSpec.Tcp("::1", 4001));
        assertThat(parse("usb:0403:6001")).isInstanceOf(SourceSpec.Usb.class);
        assertThat(parse("sim")).isEqualTo(new SourceSpec.Simulated(SimulationSettings.DEFAULT));
    }

    @Test
    void refusesMalformedTcpAddresses() {
        assertThatThrownBy(() -> parse("tcp:4001")).isInstanceOf(InvalidFieldException.class);
        assertThatThrownBy(() -> parse("tcp:host:port")).hasMessageContaining("numeric port");
        assertThatThrownBy(() -> parse("tcp::4001")).isInstanceOf(InvalidFieldException.class);
    }

    @Test
    void aTcpPortMayBeOneUpTo65535AndTheHostMayBeOneCharacter() {
        assertThat(parse("tcp:h:1")).isEqualTo(new SourceSpec.Tcp("h", 1));
        assertThat(parse("tcp:h:65535")).isEqualTo(new SourceSpec.Tcp("h", 65535));
        assertThatThrownBy(() -> parse("tcp:h:0")).hasMessageContaining("TCP port must be 1..65535");
        assertThatThrownBy(() -> parse("tcp:h:65536")).hasMessageContaining("TCP port must be 1..65535");
    }
}
