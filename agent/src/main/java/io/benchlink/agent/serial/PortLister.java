package io.benchlink.agent.serial;

import com.fazecast.jSerialComm.SerialPort;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Lists the serial ports jSerialComm sees, joined with the stable {@code /dev/serial/by-id} names on Linux.
 * Stateless.
 */
public final class PortLister {
    private static final Path BY_ID = Path.of("/dev/serial/by-id");

    private PortLister() {
    }

    public static List<PortInfo> list() {
        Map<String, String> stable = stableNames(BY_ID);
        List<PortInfo> out = new ArrayList<>();
        for (SerialPort port : SerialPort.getCommPorts()) {
            String path = port.getSystemPortPath();
            out.add(new PortInfo(path, port.getPortDescription(), port.getVendorID(), port.getProductID(),
                    blankToNull(port.getSerialNumber()), stable.get(path)));
        }
        return out;
    }

    /** Maps each real device path to the by-id link that points at it; empty where the directory does not exist. */
    static Map<String, String> stableNames(Path byId) {
        Map<String, String> names = new HashMap<>();
        if (!Files.isDirectory(byId)) {
            return names;
        }
        try (DirectoryStream<Path> links = Files.newDirectoryStream(byId)) {
            for (Path link : links) {
                try {
                    names.put(link.toRealPath().toString(), link.toString());
                } catch (IOException e) {
                    // a dangling link (adapter just unplugged) has no port to name
                }
            }
        } catch (IOException e) {
            return names;
        }
        return names;
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() || "Unknown".equalsIgnoreCase(text) ? null : text;
    }
}
