package io.benchlink.agent.cli;

import com.fazecast.jSerialComm.SerialPort;
import io.benchlink.agent.config.AgentConfigReader;
import io.benchlink.common.config.ConfigException;
import io.benchlink.agent.serial.NativeLibrary;
import io.benchlink.agent.simulate.SimulatedOutput;
import io.benchlink.agent.simulate.SimulationStop;
import io.benchlink.agent.simulate.SimulationSettings;
import io.benchlink.common.status.InvalidFieldException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code agent simulate} (PROTOCOL.md §5): a simulated tester writing kv or jsonl output to stdout, into a serial port
 * or pseudo-terminal ({@code --serial /tmp/x/ttyB}), or to TCP clients ({@code --listen PORT}, one at a time, like
 * ser2net). The agent reads it through the same profile parsing as a real tester. For an in-process tester use
 * {@code run --port sim}.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run a simulated tester (kv or jsonl output) for demos and load tests.")
final class SimulateCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(SimulateCommand.class);

    @Spec
    private CommandSpec spec;

    @Option(names = "--profile", defaultValue = "kv",
            description = "Output format: kv or jsonl (default ${DEFAULT-VALUE}).")
    private String format;
    @Option(names = "--tests-per-second", defaultValue = "1", description = "Test rate (default ${DEFAULT-VALUE}).")
    private double rate;
    @Option(names = "--fail-ratio", defaultValue = "0.1",
            description = "Share of failing tests (default ${DEFAULT-VALUE}).")
    private double failRatio;
    @Option(names = "--error-ratio", defaultValue = "0.02",
            description = "Share of tests reporting an error (default ${DEFAULT-VALUE}).")
    private double errorRatio;
    @Option(names = "--seed", defaultValue = "1", description = "Random seed (default ${DEFAULT-VALUE}).")
    private long seed;
    @Option(names = "--count", defaultValue = "0", description = "Stop after N tests; 0 = run until stopped.")
    private long count;
    @Option(names = "--native-dir", paramLabel = "DIR",
            description = "Private directory for jSerialComm's native library.")
    private Path nativeDir;

    @Mixin
    private LogLevelOption logLevel;

    @ArgGroup(exclusive = true)
    private Target target = new Target();

    static final class Target {
        @Option(names = "--serial", paramLabel = "PORT",
                description = "Write into this serial port or pty (e.g. the other end of a socat pair).")
        String serial;
        @Option(names = "--listen", paramLabel = "PORT",
                description = "Serve TCP clients on this port (0 = any free port, printed).")
        Integer listen;
    }

    @Override
    public Integer call() throws Exception {
        logLevel.apply();
        SimulationSettings settings;
        try {
            settings = new SimulationSettings(format, rate, failRatio, errorRatio, seed, count);
        } catch (InvalidFieldException e) {
            throw new ConfigException("simulate: " + e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        SimulationStop stop = SimulationStop.install(); // SIGTERM/Ctrl-C: stop writing and exit 0
        if (target.serial != null) {
            return toSerial(settings, stop);
        }
        if (target.listen != null) {
            return toTcp(settings, out, stop);
        }
        OutputStream stdout = new OutputStream() {
            @Override
            public void write(int b) {
                out.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                out.write(new String(b, off, len, StandardCharsets.UTF_8));
            }

            @Override
            public void flush() {
                out.flush();
            }
        };
        SimulatedOutput.run(settings, stdout, stop);
        return 0;
    }

    private int toSerial(SimulationSettings settings, SimulationStop stop) throws IOException, InterruptedException {
        NativeLibrary.load(nativeDir != null ? nativeDir : AgentConfigReader.defaultNativeDir().resolve("cli"));
        SerialPort port = SerialPort.getCommPort(target.serial);
        port.setComPortTimeouts(SerialPort.TIMEOUT_WRITE_BLOCKING, 0, 1000);
        if (!port.openPort()) {
            throw new IOException("cannot open " + target.serial + " (error " + port.getLastErrorCode() + ")");
        }
        try {
            long lines = SimulatedOutput.run(settings, port.getOutputStream(), stop);
            drain(port);
            LOG.info("simulate - wrote {} lines to {}", lines, target.serial);
        } finally {
            port.closePort();
        }
        return 0;
    }

    /**
     * Closing a port discards output not yet sent, and the last close of a pty hangs it up, which can drop what the
     * other side has not read yet: wait (bounded) until the driver has passed the output on, then linger briefly.
     */
    private static void drain(SerialPort port) throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
        while (port.bytesAwaitingWrite() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        Thread.sleep(500);
    }

    private int toTcp(SimulationSettings settings, PrintWriter out, SimulationStop stop)
            throws IOException, InterruptedException {
        try (ServerSocket server = new ServerSocket(target.listen, 1, InetAddress.getLoopbackAddress())) {
            out.println("listening on " + server.getInetAddress().getHostAddress() + ":" + server.getLocalPort());
            out.flush();
            stop.closeOnStop(server); // wakes accept() when the stop comes
            while (!stop.requested()) {
                try (Socket client = server.accept()) {
                    LOG.info("simulate - client {} connected", client.getRemoteSocketAddress());
                    stop.closeOnStop(client);
                    SimulatedOutput.run(settings, client.getOutputStream(), stop);
                    return 0;
                } catch (IOException e) {
                    if (stop.requested()) {
                        break;
                    }
                    // the agent went away: wait for the next one, like a serial server does
                    LOG.info("simulate - client gone ({})", e.getMessage());
                    stop.closeOnStop(server);
                }
            }
        }
        return 0;
    }
}
