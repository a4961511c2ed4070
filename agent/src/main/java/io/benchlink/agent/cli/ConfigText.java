package io.benchlink.agent.cli;

import io.benchlink.agent.config.AgentConfig;
import io.benchlink.agent.config.DeviceConfig;
import io.benchlink.agent.config.SourceSpec;
import io.benchlink.agent.serial.SerialSettings;
import io.benchlink.agent.simulate.SimulationSettings;
import java.net.URI;
import java.util.stream.Collectors;

/** The text of {@code agent run --print-config}: the effective configuration, one {@code key=value} a line, token masked. */
final class ConfigText {
    private ConfigText() {
    }

    static String of(AgentConfig config) {
        StringBuilder out = new StringBuilder()
                .append("agent_id=").append(config.agentId())
                .append("\ngateways=").append(config.gateways().isEmpty() ? "(none)"
                        : config.gateways().stream().map(URI::toString).collect(Collectors.joining(", ")))
                .append("\ntoken=").append(config.token() == null ? "(none)" : "****")
                .append("\nspool_dir=").append(config.spoolDir())
                .append("\nspool_max_bytes=").append(config.spoolMaxBytes())
                .append("\nspool_max_age_s=").append(config.spoolMaxAge().toSeconds())
                .append("\nnative_dir=").append(config.nativeDir())
                .append("\ntrusted_ca=").append(config.trustedCa() == null ? "(JVM default)" : config.trustedCa());
        for (int i = 0; i < config.devices().size(); i++) {
            device(out, "\ndevices[" + i + "].", config.devices().get(i));
        }
        return out.toString();
    }

    private static void device(StringBuilder out, String prefix, DeviceConfig device) {
        SerialSettings serial = device.serial();
        out.append(prefix).append("device_id=").append(device.deviceId())
                .append(prefix).append(source(device.source()))
                .append(prefix).append("profile=").append(device.profile().name())
                .append(prefix).append("serial=").append(serial.baud()).append(' ').append(serial.dataBits())
                .append(' ').append(serial.parity()).append(' ').append(serial.stopBits())
                .append(" flow_control=").append(serial.flowControl());
    }

    private static String source(SourceSpec source) {
        if (source instanceof SourceSpec.SerialName) {
            return "port=" + ((SourceSpec.SerialName) source).name();
        }
        if (source instanceof SourceSpec.Usb) {
            return "usb=" + ((SourceSpec.Usb) source).identity();
        }
        if (source instanceof SourceSpec.Tcp) {
            SourceSpec.Tcp tcp = (SourceSpec.Tcp) source;
            return "port=tcp:" + tcp.host() + ":" + tcp.port();
        }
        SimulationSettings sim = ((SourceSpec.Simulated) source).settings();
        return "port=sim (" + sim.format() + ", " + sim.testsPerSecond() + " tests/s, fail_ratio " + sim.failRatio()
                + ", error_ratio " + sim.errorRatio() + ", seed " + sim.seed() + ", max_tests " + sim.maxTests() + ")";
    }
}
