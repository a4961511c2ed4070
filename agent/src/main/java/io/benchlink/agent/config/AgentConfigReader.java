package io.benchlink.agent.config;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.benchlink.agent.profile.Profile;
import io.benchlink.agent.serial.SerialSettings;
import io.benchlink.agent.serial.UsbIdentity;
import io.benchlink.agent.simulate.SimulationSettings;
import io.benchlink.common.config.ConfigException;
import io.benchlink.common.config.StrictObject;
import io.benchlink.common.status.InvalidFieldException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Builds an {@link AgentConfig} from a JSON config file (format in docs/PROFILES.md and the README), or from the
 * one-device flags, which are turned into the same JSON so both paths share one set of rules and messages.
 * Never falls back to defaults on a bad value; every fault is one {@link ConfigException} line. Stateless.
 */
public final class AgentConfigReader {
    public static final long DEFAULT_SPOOL_MAX_BYTES = 1L << 30; // same defaults as SpoolConfig (issue 4): 1 GiB
    public static final Duration DEFAULT_SPOOL_MAX_AGE = Duration.ofDays(30);
    private static final Set<String> TOP_KEYS = Set.of("agent_id", "gateway", "gateways", "token", "spool_dir",
            "spool_max_bytes", "spool_max_age_s", "native_dir", "devices", "trusted_ca");
    private static final Set<String> DEVICE_KEYS = Set.of("device_id", "port", "usb", "profile", "baud", "data_bits",
            "parity", "stop_bits", "flow_control", "simulate");
    private static final Set<String> USB_KEYS = Set.of("vid", "pid", "serial");
    private static final Set<String> SIM_KEYS = Set.of("format", "tests_per_second", "fail_ratio", "error_ratio",
            "seed", "max_tests");

    private AgentConfigReader() {
    }

    public static AgentConfig fromFile(Path file) {
        return fromJson(readObject(file), file.toAbsolutePath().getParent());
    }

    /** Reads a config file as a JSON object, for callers that adjust it (flag overrides) before {@link #fromJson}. */
    public static JsonObject readObject(Path file) {
        return StrictObject.readObject(file);
    }

    /** Reads a config already parsed; relative paths are taken relative to {@code baseDir}. */
    public static AgentConfig fromJson(JsonObject root, Path baseDir) {
        StrictObject json = new StrictObject(root, "", null);
        json.allowOnly(TOP_KEYS);
        List<DeviceConfig> devices = devices(json, baseDir);
        try {
            String agentId = agentId(json);
            return new AgentConfig(agentId, gateways(json), json.string("token"),
                    path(json, "spool_dir", baseDir, Path.of("spool")),
                    json.has("spool_max_bytes") ? json.integer("spool_max_bytes") : DEFAULT_SPOOL_MAX_BYTES,
                    json.has("spool_max_age_s") ? Duration.ofSeconds(json.integer("spool_max_age_s"))
                            : DEFAULT_SPOOL_MAX_AGE,
                    path(json, "native_dir", baseDir, defaultNativeDir().resolve(agentId)), devices,
                    path(json, "trusted_ca", baseDir, null));
        } catch (InvalidFieldException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    /**
     * The user's directory for jSerialComm's native library; {@code run} uses a sub-directory per agent_id, the
     * {@code ports}/{@code simulate} tools share one named {@code cli}.
     */
    public static Path defaultNativeDir() {
        return Path.of(System.getProperty("user.home"), ".benchlink", "agent-native");
    }

    /** A host name made into a valid agent_id, for configs that name none. */
    public static String defaultAgentId() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "agent";
        }
        String id = host.replaceAll("[^A-Za-z0-9._-]", "-");
        id = id.isEmpty() ? "agent" : id;
        return id.length() > 64 ? id.substring(0, 64) : id;
    }

    private static String agentId(StrictObject json) {
        String id = json.string("agent_id");
        return id == null ? defaultAgentId() : id;
    }

    private static List<URI> gateways(StrictObject json) {
        List<String> texts = new ArrayList<>();
        if (json.has("gateway")) {
            texts.add(json.string("gateway"));
        }
        JsonArray array = json.array("gateways");
        if (array != null) {
            for (JsonElement e : array) {
                if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
                    throw new ConfigException("gateways must be an array of ws:// URLs");
                }
                texts.add(e.getAsString());
            }
        }
        List<URI> uris = new ArrayList<>();
        for (String text : texts) {
            try {
                uris.add(new URI(text));
            } catch (URISyntaxException e) {
                throw new ConfigException("gateway is not a URL (got \"" + text + "\")");
            }
        }
        return uris;
    }

    private static Path path(StrictObject json, String key, Path baseDir, Path fallback) {
        String text = json.string(key);
        if (text == null) {
            return fallback;
        }
        if (text.isBlank()) {
            throw new ConfigException("" + key + " must not be empty");
        }
        return baseDir.resolve(text);
    }

    private static List<DeviceConfig> devices(StrictObject json, Path baseDir) {
        JsonArray array = json.array("devices");
        if (array == null || array.isEmpty()) {
            throw new ConfigException("devices must list at least one device");
        }
        List<DeviceConfig> devices = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            if (!array.get(i).isJsonObject()) {
                throw new ConfigException("devices[" + i + "] must be an object");
            }
            devices.add(device(new StrictObject(array.get(i).getAsJsonObject(), "devices[" + i + "]", null), baseDir));
        }
        return devices;
    }

    private static DeviceConfig device(StrictObject json, Path baseDir) {
        json.allowOnly(DEVICE_KEYS);
        String where = json.where() + (json.has("device_id") && json.raw("device_id").isJsonPrimitive()
                ? " (" + json.raw("device_id").getAsString() + ")" : "");
        try {
            JsonElement profileRef = json.raw("profile");
            if (profileRef == null) {
                throw new ConfigException(where + ": profile is required (kv, jsonl or a file)");
            }
            Profile profile = ProfileReader.fromElement(profileRef, baseDir, where + ".profile", json, "profile");
            SourceSpec source = source(json, where, profile);
            return new DeviceConfig(json.string("device_id"), source, profile, serial(json));
        } catch (InvalidFieldException e) {
            throw new ConfigException(where + ": " + e.getMessage());
        }
    }

    private static SourceSpec source(StrictObject json, String where, Profile profile) {
        if (json.has("port") == json.has("usb")) {
            throw new ConfigException(where + ": needs exactly one of \"port\" or \"usb\"");
        }
        if (json.has("usb")) {
            JsonElement usb = json.raw("usb");
            return new SourceSpec.Usb(usb.isJsonObject() ? usb(json.child("usb"))
                    : UsbIdentity.parse(json.string("usb")));
        }
        if (json.has("simulate") && !"sim".equals(json.string("port"))) {
            throw new ConfigException(where + ": simulate is only used with \"port\": \"sim\"");
        }
        return SourceSpec.parse(json.string("port"), simulation(json, profile));
    }

    private static UsbIdentity usb(StrictObject json) {
        json.allowOnly(USB_KEYS);
        if (!json.has("vid") || !json.has("pid")) {
            throw new ConfigException("" + json.where() + " needs vid and pid (hex strings)");
        }
        String serial = json.string("serial");
        return UsbIdentity.parse(json.string("vid") + ":" + json.string("pid") + (serial == null ? "" : ":" + serial));
    }

    private static SimulationSettings simulation(StrictObject device, Profile profile) {
        String format = "jsonl".equals(profile.name()) ? "jsonl" : "kv";
        if (!device.has("simulate")) {
            SimulationSettings d = SimulationSettings.DEFAULT;
            return new SimulationSettings(format, d.testsPerSecond(), d.failRatio(), d.errorRatio(), d.seed(), 0);
        }
        StrictObject json = device.child("simulate");
        json.allowOnly(SIM_KEYS);
        SimulationSettings d = SimulationSettings.DEFAULT;
        return new SimulationSettings(json.has("format") ? json.string("format") : format,
                orElse(json.decimal("tests_per_second"), d.testsPerSecond()),
                orElse(json.decimal("fail_ratio"), d.failRatio()), orElse(json.decimal("error_ratio"), d.errorRatio()),
                json.has("seed") ? json.integer("seed") : d.seed(), json.has("max_tests") ? json.integer("max_tests")
                        : 0);
    }

    private static double orElse(Double value, double fallback) {
        return value == null ? fallback : value;
    }

    private static SerialSettings serial(StrictObject json) {
        SerialSettings d = SerialSettings.DEFAULT;
        return new SerialSettings(
                json.has("baud") ? Math.toIntExact(bounded(json, "baud")) : d.baud(),
                json.has("data_bits") ? Math.toIntExact(bounded(json, "data_bits")) : d.dataBits(),
                json.has("parity") ? json.string("parity") : d.parity(),
                json.has("stop_bits") ? stopBits(json) : d.stopBits(),
                json.has("flow_control") ? json.string("flow_control") : d.flowControl());
    }

    private static long bounded(StrictObject json, String key) {
        long value = json.integer(key);
        if (value > Integer.MAX_VALUE || value < Integer.MIN_VALUE) {
            throw new InvalidFieldException(key, value, "is out of range");
        }
        return value;
    }

    /** Stop bits may be written as a number ({@code 1}, {@code 1.5}, {@code 2}) or a string. */
    private static String stopBits(StrictObject json) {
        JsonElement raw = json.raw("stop_bits");
        if (raw.isJsonPrimitive() && raw.getAsJsonPrimitive().isNumber()) {
            return raw.getAsBigDecimal().stripTrailingZeros().toPlainString();
        }
        return json.string("stop_bits");
    }
}
