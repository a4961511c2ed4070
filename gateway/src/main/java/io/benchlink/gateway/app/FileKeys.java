package io.benchlink.gateway.app;

import java.util.Map;

/** Which config-file key sets the same value as a flag, so a bad value is named where the user wrote it. */
final class FileKeys {
    private static final Map<String, String> BY_FLAG = Map.ofEntries(
            Map.entry("--bind", "bind"), Map.entry("--port", "port"), Map.entry("--http-port", "http_port"),
            Map.entry("--data-dir", "data_dir"), Map.entry("--zone", "zone"),
            Map.entry("--agent-token", "agent_tokens"), Map.entry("--subscriber-token", "subscriber_tokens"),
            Map.entry("--offline-grace", "offline_grace_seconds"),
            Map.entry("--ping-interval", "ping_interval_seconds"),
            Map.entry("--idle-timeout", "idle_timeout_seconds"),
            Map.entry("--subscriber-buffer", "subscriber_buffer"), Map.entry("--max-subscribers", "max_subscribers"),
            Map.entry("--max-agents", "max_agents"), Map.entry("--max-frame-bytes", "max_frame_bytes"),
            Map.entry("--retention-days", "retention_days"), Map.entry("--commit-batch", "commit_batch"),
            Map.entry("--handshake-timeout", "handshake_timeout_seconds"),
            Map.entry("--max-status-rate", "max_status_rate"), Map.entry("--max-http-body", "max_http_body"),
            Map.entry("--allowed-origin", "allowed_origins"));

    private FileKeys() {
    }

    /** The file key of a flag, or null when the flag has none. */
    static String of(String flag) {
        return BY_FLAG.get(flag);
    }
}
