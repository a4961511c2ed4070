package io.benchlink.agent.cli;

import io.benchlink.agent.config.AgentConfig;
import io.benchlink.agent.config.DeviceConfig;
import io.benchlink.agent.config.SourceSpec;
import io.benchlink.agent.serial.NativeLibrary;
import io.benchlink.agent.serial.SerialConnector;
import io.benchlink.agent.serial.UsbConnector;
import io.benchlink.agent.simulate.SimulatedConnector;
import io.benchlink.agent.source.Connector;
import io.benchlink.agent.source.DeviceReader;
import io.benchlink.agent.spool.StatusSink;
import io.benchlink.agent.tcp.TcpConnector;
import io.benchlink.common.time.WallClock;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's composition root for reading: one {@link DeviceReader} (own thread) per configured device, all
 * handing statuses to one {@link StatusSink}. Shutdown is ordered: readers first (no new statuses), then the sink's
 * owner. Owned by the thread that runs {@code agent run}; {@link #close()} may come from the shutdown hook.

 */
public final class AgentRuntime implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AgentRuntime.class);
    private final List<DeviceReader> readers = new ArrayList<>();

    private AgentRuntime() {
    }

    /** Loads the serial native library if a device needs it, then starts one reader per device. */
    public static AgentRuntime start(AgentConfig config, StatusSink sink, WallClock clock) throws IOException {
        if (config.devices().stream().anyMatch(d -> d.source() instanceof SourceSpec.SerialName
                || d.source() instanceof SourceSpec.Usb)) {
            NativeLibrary.load(config.nativeDir());
        }
        AgentRuntime runtime = new AgentRuntime();
        for (DeviceConfig device : config.devices()) {
            DeviceReader reader = new DeviceReader(device.deviceId(), connector(device), device.profile(), sink, clock,
                    DeviceReader.defaultBackoff());
            runtime.readers.add(reader);
            reader.start();
        }
        LOG.info("agent {} reading {} device(s)", config.agentId(), runtime.readers.size());
        return runtime;
    }

    /** The connector for a device's source; public so tests and tools build readers the same way. */
    public static Connector connector(DeviceConfig device) {
        SourceSpec source = device.source();
        if (source instanceof SourceSpec.SerialName) {
            return new SerialConnector(((SourceSpec.SerialName) source).name(), device.serial());
        }
        if (source instanceof SourceSpec.Usb) {
            return new UsbConnector(((SourceSpec.Usb) source).identity(), device.serial(),
                    UsbConnector.DEFAULT_SCAN_INTERVAL);
        }
        if (source instanceof SourceSpec.Tcp) {
            SourceSpec.Tcp tcp = (SourceSpec.Tcp) source;
            return new TcpConnector(tcp.host(), tcp.port(), Duration.ofSeconds(2));
        }
        return new SimulatedConnector(((SourceSpec.Simulated) source).settings());
    }

    public List<DeviceReader> readers() {
        return List.copyOf(readers);
    }

    @Override
    public void close() throws InterruptedException {
        readers.forEach(DeviceReader::requestStop);
        for (DeviceReader reader : readers) {
            reader.close(Duration.ofSeconds(3));
        }
    }
}
