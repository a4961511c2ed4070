package io.benchlink.agent.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.benchlink.agent.config.AgentConfigReader;
import io.benchlink.agent.serial.NativeLibrary;
import io.benchlink.agent.serial.PortInfo;
import io.benchlink.agent.serial.PortLister;
import io.benchlink.common.json.Json;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code agent ports} (PROTOCOL.md §5): the serial ports jSerialComm sees, with USB identity and, on Linux, the stable
 * {@code /dev/serial/by-id} name. No ports is not an error. Note jSerialComm does not list pseudo-terminals.
 */
@Command(name = "ports", mixinStandardHelpOptions = true,
        description = "List serial ports (name, description, USB ids, serial number).")
final class PortsCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--json", description = "Print a JSON array instead of a table.")
    private boolean json;
    @Option(names = "--native-dir", paramLabel = "DIR",
            description = "Private directory for jSerialComm's native library.")
    private Path nativeDir;

    @Override
    public Integer call() throws Exception {
        NativeLibrary.load(nativeDir != null ? nativeDir : AgentConfigReader.defaultNativeDir().resolve("cli"));
        List<PortInfo> ports = PortLister.list();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.GSON.toJson(toJson(ports)));
        } else if (ports.isEmpty()) {
            out.println("no serial ports found (pseudo-terminals and tcp: servers are not listed)");
        } else {
            out.printf("%-24s %-9s %-20s %-32s %s%n", "NAME", "VID:PID", "SERIAL", "DESCRIPTION", "BY-ID");
            for (PortInfo port : ports) {
                out.printf("%-24s %-9s %-20s %-32s %s%n", port.name(), usbIds(port), dash(port.serialNumber()),
                        dash(port.description()), dash(port.stableName()));
            }
        }
        out.flush();
        return 0;
    }

    private static JsonArray toJson(List<PortInfo> ports) {
        JsonArray array = new JsonArray();
        for (PortInfo port : ports) {
            JsonObject o = new JsonObject();
            o.addProperty("name", port.name());
            o.addProperty("description", port.description());
            o.addProperty("vendor_id", port.vendorId() < 0 ? null : hex(port.vendorId()));
            o.addProperty("product_id", port.productId() < 0 ? null : hex(port.productId()));
            o.addProperty("serial_number", port.serialNumber());
            o.addProperty("by_id", port.stableName());
            array.add(o);
        }
        return array;
    }

    private static String usbIds(PortInfo port) {
        return port.vendorId() < 0 ? "-" : hex(port.vendorId()) + ":" + hex(port.productId());
    }

    private static String hex(int id) {
        return String.format(Locale.ROOT, "%04x", id);
    }

    private static String dash(String text) {
        return text == null || text.isBlank() ? "-" : text;
    }
}
