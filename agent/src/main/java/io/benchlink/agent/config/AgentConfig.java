package io.benchlink.agent.config;

import io.benchlink.common.status.DeviceId;
import io.benchlink.common.status.InvalidFieldException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The agent's one immutable configuration, built at start-up from a JSON file or from flags
 * ({@link AgentConfigReader}) and validated completely before any port or socket opens.
 *
 * @param gateways agent endpoints ({@code ws://host:8000/ws/agents}) tried in order; may be empty only for {@code
 * run --print}
 * @param token agent token sent in hello, or null
 * @param nativeDir private directory jSerialComm's native library is extracted to
 * @param trustedCa PEM file of a private CA that signed the gateway's certificate ({@code wss://}), or null for the
 * JVM's default trust store
 */
public record AgentConfig(
        String agentId,
        List<URI> gateways,
        String token,
        Path spoolDir,
        long spoolMaxBytes,
        Duration spoolMaxAge,
        Path nativeDir,
        List<DeviceConfig> devices,
        Path trustedCa) {

    public AgentConfig {
        DeviceId.requireAgentId(agentId);
        gateways = List.copyOf(gateways);
        gateways.forEach(AgentConfig::requireWebSocketUri);
        if (spoolDir == null) {
            throw new InvalidFieldException("spool_dir", null, "is required");
        }
        if (spoolMaxBytes < 1024 * 1024) {
            throw new InvalidFieldException("spool_max_bytes", spoolMaxBytes, "must be at least 1048576");
        }
        if (spoolMaxAge == null || spoolMaxAge.toSeconds() < 60) {
            throw new InvalidFieldException("spool_max_age_s", spoolMaxAge == null ? null : spoolMaxAge.toSeconds(),
                    "must be at least 60");
        }
        if (trustedCa != null && !Files.isReadable(trustedCa)) {
            throw new InvalidFieldException("trusted_ca", trustedCa, "must be a readable PEM file");
        }
        devices = List.copyOf(devices);
        if (devices.isEmpty()) {
            throw new InvalidFieldException("devices", "[]", "must list at least one device");
        }
        Set<String> ids = new HashSet<>();
        for (DeviceConfig device : devices) {
            if (!ids.add(device.deviceId())) {
                throw new InvalidFieldException("devices", device.deviceId(), "has a duplicate device_id");
            }
        }
    }

    /** Without a private CA: the JVM's default trust store checks the gateway's certificate. */
    public AgentConfig(String agentId, List<URI> gateways, String token, Path spoolDir, long spoolMaxBytes,
            Duration spoolMaxAge, Path nativeDir, List<DeviceConfig> devices) {
        this(agentId, gateways, token, spoolDir, spoolMaxBytes, spoolMaxAge, nativeDir, devices, null);
    }

    public List<String> deviceIds() {
        return devices.stream().map(DeviceConfig::deviceId).toList();
    }

    private static void requireWebSocketUri(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("ws") || scheme.equals("wss")) || uri.getHost() == null) {
            throw new InvalidFieldException("gateway", uri, "must be a ws:// or wss:// URL with a host");
        }
    }
}
