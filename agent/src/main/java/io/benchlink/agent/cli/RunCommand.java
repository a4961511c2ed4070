package io.benchlink.agent.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.benchlink.agent.config.AgentConfig;
import io.benchlink.agent.config.AgentConfigReader;
import io.benchlink.common.config.ConfigException;
import io.benchlink.common.ops.StopSignal;
import io.benchlink.common.time.WallClock;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code agent run} (PROTOCOL.md §5): from {@code --config FILE}, or from flags for one device. The whole config is
 * validated before any port opens; then readers run until the process is stopped (or {@code --run-for} ends).
 */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Read the configured testers and deliver their statuses to the gateway.")
final class RunCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

    @Spec
    private CommandSpec spec;
    @ParentCommand
    private AgentMain parent;

    @Option(names = "--config", paramLabel = "FILE", description = "Agent config JSON file (several devices).")
    private Path config;
    @Option(names = "--gateway", paramLabel = "URL",
            description = "Gateway agent endpoint, e.g. ws://gw:8000/ws/agents; repeat for fallbacks.")
    private List<String> gateways = new ArrayList<>();
    @Option(names = "--agent-id", paramLabel = "ID", description = "This agent's id (default: host name).")
    private String agentId;
    @Option(names = "--token", paramLabel = "T", description = "Agent token for the gateway.")
    private String token;
    @Option(names = "--spool-dir", paramLabel = "DIR", description = "Disk spool directory (default ./spool).")
    private String spoolDir;
    @Option(names = "--native-dir", paramLabel = "DIR",
            description = "Private directory for jSerialComm's native library"
                    + " (default ~/.benchlink/agent-native/AGENT_ID).")
    private String nativeDir;
    @Option(names = "--trusted-ca", paramLabel = "FILE",
            description = "PEM file of a private CA that signed the gateway's certificate (wss://).")
    private String trustedCa;
    @Option(names = "--device-id", paramLabel = "ID", description = "One-device mode: the device_id.")
    private String deviceId;
    @Option(names = "--port", paramLabel = "PORT",
            description = "One-device mode: /dev/ttyUSB0, COM7, tcp:HOST:PORT or sim.")
    private String port;
    @Option(names = "--usb", paramLabel = "VID:PID[:SERIAL]",
            description = "One-device mode: a USB serial adapter by identity (hex).")
    private String usb;
    @Option(names = "--profile", paramLabel = "NAME|FILE",
            description = "One-device mode: kv, jsonl or a profile JSON file.")
    private String profile;
    @Option(names = "--baud", description = "Serial speed (default 9600).")
    private Integer baud;
    @Option(names = "--data-bits", description = "5..8 (default 8).")
    private Integer dataBits;
    @Option(names = "--parity", description = "none, odd, even, mark, space (default none).")
    private String parity;
    @Option(names = "--stop-bits", description = "1, 1.5 or 2 (default 1).")
    private String stopBits;
    @Option(names = "--flow-control", description = "none, rtscts, xonxoff (default none).")
    private String flowControl;
    @Option(names = "--print",
            description = "Print statuses as JSON lines on stdout instead of sending them (commissioning).")
    private boolean print;
    @Option(names = "--run-for", paramLabel = "SECONDS", description = "Stop after this many seconds (demos, tests).")
    private Long runFor;
    @Option(names = "--print-config", description = "Print the effective configuration (token masked) and exit.")
    private boolean printConfig;
    @Mixin
    private LogLevelOption logLevel;

    @Override
    public Integer call() throws Exception {
        logLevel.apply();
        AgentConfig agent = buildConfig();
        if (printConfig) {
            spec.commandLine().getOut().println(ConfigText.of(agent));
            return 0;
        }
        if (!print && agent.gateways().isEmpty()) {
            throw new ConfigException(
                    "a gateway is required (--gateway ws://HOST:8000/ws/agents), or use --print");
        }
        WallClock clock = WallClock.system();
        StopSignal stopSignal = runFor == null ? StopSignal.install() : null;
        Delivery delivery = print ? Delivery.printing(spec.commandLine().getOut()) : Delivery.toGateway(agent, clock);
        StatusBoard board = statusBoard(agent, delivery);
        AgentRuntime runtime;
        try {
            delivery.start();
            runtime = AgentRuntime.start(agent, board == null ? delivery.sink() : board.watching(delivery.sink()),
                    clock);
        } catch (Exception | Error e) {
            delivery.close();
            throw e;
        }
        if (board != null) {
            // Issue 4: live lines in an interactive terminal, log lines in a service.
            board.start(System.console() != null ? spec.commandLine().getOut() : null);
        }
        OrderedShutdown shutdown = new OrderedShutdown(runtime, delivery, board);
        Thread hook = new Thread(shutdown::run, "agent-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        if (runFor == null) {
            // run until SIGTERM/Ctrl-C, then stop in order on this thread and exit 0 (see StopSignal); the hook
            // still covers other ways out. Not with --run-for: tests run that in-process and keep their handlers.
            stopSignal.await();
            shutdown.run();
        } else if (!shutdown.awaitDone(runFor)) {
            Runtime.getRuntime().removeShutdownHook(hook);
            shutdown.run();
        }
        return 0;
    }

    /** The live status board, when statuses go to the gateway (with --print, stdout carries the statuses). */
    private static StatusBoard statusBoard(AgentConfig agent, Delivery delivery) {
        if (!(delivery instanceof GatewayDelivery gateway)) {
            return null;
        }
        return new StatusBoard(agent.deviceIds(), gateway.spool()::depth, gateway.uplink()::state,
                gateway.uplink()::ownershipConflicts);
    }

    /**
     * Stops readers first (no new statuses), then the delivery (spool and uplink), exactly once, whether called by
     * the shutdown hook (SIGTERM, Ctrl-C) or by {@code --run-for}. The hook does all of it itself because the JVM
     * halts as soon as hooks finish, whatever the main thread is doing.
     */
    private static final class OrderedShutdown implements Runnable {
        private final AgentRuntime runtime;
        private final Delivery delivery;
        private final StatusBoard board;
        private final CountDownLatch done = new CountDownLatch(1);
        private final AtomicBoolean started = new AtomicBoolean();

        OrderedShutdown(AgentRuntime runtime, Delivery delivery, StatusBoard board) {
            this.runtime = runtime;
            this.delivery = delivery;
            this.board = board;
        }

        @Override
        public void run() {
            if (!started.compareAndSet(false, true)) {
                return;
            }
            if (board != null) {
                board.close();
            }
            try {
                runtime.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                delivery.close();
                LOG.info("agent stopped");
                done.countDown();
            }
        }

        boolean awaitDone(long seconds) throws InterruptedException {
            return done.await(seconds, TimeUnit.SECONDS);
        }
    }

    AgentConfig buildConfig() {
        Path config = parent == null ? this.config : parent.config(this.config);
        boolean deviceFlags = deviceId != null || port != null || usb != null || profile != null || baud != null
                || dataBits != null || parity != null || stopBits != null || flowControl != null;
        if (config != null && deviceFlags) {
            throw new ConfigException(
                    "use either --config or the one-device flags (--device-id, --port, --profile ...)");
        }
        JsonObject root = config != null ? AgentConfigReader.readObject(config) : oneDevice();
        overrideFromFlags(root);
        return AgentConfigReader.fromJson(root, config != null ? config.toAbsolutePath().getParent()
                : Path.of("").toAbsolutePath());
    }

    private JsonObject oneDevice() {
        require(deviceId, "--device-id");
        if (port == null && usb == null) {
            throw new ConfigException("--port (or --usb) is required, or use --config FILE");
        }
        require(profile, "--profile");
        JsonObject device = new JsonObject();
        device.addProperty("device_id", deviceId);
        device.addProperty(port != null ? "port" : "usb", port != null ? port : usb);
        device.addProperty("profile", profile);
        addIfSet(device, "baud", baud);
        addIfSet(device, "data_bits", dataBits);
        addIfSet(device, "parity", parity);
        addIfSet(device, "stop_bits", stopBits);
        addIfSet(device, "flow_control", flowControl);
        JsonArray devices = new JsonArray();
        devices.add(device);
        JsonObject root = new JsonObject();
        root.add("devices", devices);
        return root;
    }

    private void overrideFromFlags(JsonObject root) {
        if (!gateways.isEmpty()) {
            root.remove("gateway");
            JsonArray list = new JsonArray();
            gateways.forEach(list::add);
            root.add("gateways", list);
        }
        addIfSet(root, "agent_id", agentId);
        addIfSet(root, "token", token);
        addIfSet(root, "spool_dir", spoolDir);
        addIfSet(root, "native_dir", nativeDir);
        addIfSet(root, "trusted_ca", trustedCa);
    }

    private static void require(String value, String flag) {
        if (value == null || value.isBlank()) {
            throw new ConfigException(flag + " is required, or use --config FILE");
        }
    }

    private static void addIfSet(JsonObject object, String key, Object value) {
        if (value instanceof Number) {
            object.addProperty(key, (Number) value);
        } else if (value != null) {
            object.addProperty(key, value.toString());
        }
    }
}
