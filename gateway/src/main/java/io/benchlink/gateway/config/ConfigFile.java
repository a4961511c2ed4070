package io.benchlink.gateway.config;

import com.google.gson.JsonObject;
import io.benchlink.common.config.StrictObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * The optional JSON config file: snake_case keys named like the flags, read by the strict reader both programs
 * share ({@link StrictObject}). Unknown keys and wrong types are errors that name the key and the file; nothing is
 * guessed and nothing falls back to a default silently.
 */
public final class ConfigFile {
    static final Set<String> KEYS = Set.of("bind", "port", "http_port", "data_dir", "zone", "agent_tokens",
            "subscriber_tokens", "allow_anonymous", "offline_grace_seconds", "ping_interval_seconds",
            "idle_timeout_seconds", "subscriber_buffer", "max_subscribers", "max_agents", "max_frame_bytes",
            "retention_days", "commit_batch", "log_level",
            // issue 7
            "handshake_timeout_seconds", "max_status_rate", "tokens_file", "tls_keystore", "tls_password_env",
            "tls_password_file", "max_http_body",
            // issue 14.6
            "allowed_origins",
            // issue 15
            "store");

    private final StrictObject values;

    private ConfigFile(StrictObject values) {
        this.values = values;
    }

    public static ConfigFile empty() {
        return new ConfigFile(new StrictObject(new JsonObject(), "", null));
    }

    public static ConfigFile read(Path path) {
        StrictObject values = new StrictObject(StrictObject.readObject(path), "", path);
        values.allowOnly(KEYS);
        return new ConfigFile(values);
    }

    public boolean has(String key) {
        return values.has(key);
    }

    /** The key as the user finds it: {@code port in /etc/benchlink/gateway.json}. */
    public String name(String key) {
        return values.name(key);
    }

    public String string(String key) {
        return values.string(key);
    }

    public Long number(String key) {
        return values.integer(key);
    }

    public Integer int32(String key) {
        return values.int32(key);
    }

    public Boolean bool(String key) {
        return values.bool(key);
    }

    public List<String> strings(String key) {
        return values.strings(key);
    }
}
