package io.benchlink.gateway.config;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonPrimitive;
import io.benchlink.common.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The optional JSON config file: snake_case keys named like the flags. Unknown keys and wrong types are errors
 * that name the key; nothing is guessed and nothing falls back to a default silently.
 */
public final class ConfigFile {
    static final Set<String> KEYS = Set.of("bind", "port", "http_port", "data_dir", "zone", "agent_tokens",
            "subscriber_tokens", "allow_anonymous", "offline_grace_seconds", "ping_interval_seconds",
            "idle_timeout_seconds", "subscriber_buffer", "max_subscribers", "max_agents", "max_frame_bytes",
            "retention_days", "commit_batch", "log_level",
            // issue 7
            "handshake_timeout_seconds", "max_status_rate", "tokens_file", "tls_keystore", "tls_password_env",
            "tls_password_file", "max_http_body",
            // issue 15
            "store");

    private final JsonObject values;
    private final Path path;

    private ConfigFile(Path path, JsonObject values) {
        this.path = path;
        this.values = values;
    }

    public static ConfigFile empty() {
        return new ConfigFile(null, new JsonObject());
    }

    public static ConfigFile read(Path path) {
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException("--config cannot read " + path + " (" + e.getMessage() + ")");
        }
        JsonObject object;
        try {
            object = Json.parseObject(text.startsWith("\uFEFF") ? text.substring(1) : text);
        } catch (JsonParseException e) {
            throw new ConfigException("--config " + path + " is not a JSON object (" + e.getMessage() + ")");
        }
        for (String key : object.keySet()) {
            if (!KEYS.contains(key)) {
                throw new ConfigException("--config " + path + ": unknown key \"" + key + "\"");
            }
        }
        return new ConfigFile(path, object);
    }

    public String string(String key) {
        JsonElement e = values.get(key);
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (e instanceof JsonPrimitive p && p.isString()) {
            return p.getAsString();
        }
        throw wrongType(key, "a string");
    }

    public Long number(String key) {
        JsonElement e = values.get(key);
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (e instanceof JsonPrimitive p && p.isNumber()) {
            try {
                return p.getAsBigDecimal().longValueExact();
            } catch (ArithmeticException ex) {
                throw wrongType(key, "a whole number");
            }
        }
        throw wrongType(key, "a whole number");
    }

    public Boolean bool(String key) {
        JsonElement e = values.get(key);
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (e instanceof JsonPrimitive p && p.isBoolean()) {
            return p.getAsBoolean();
        }
        throw wrongType(key, "true or false");
    }

    public List<String> strings(String key) {
        JsonElement e = values.get(key);
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (!(e instanceof JsonArray array)) {
            throw wrongType(key, "an array of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonElement item : array) {
            if (!(item instanceof JsonPrimitive p && p.isString())) {
                throw wrongType(key, "an array of strings");
            }
            out.add(p.getAsString());
        }
        return out;
    }

    private ConfigException wrongType(String key, String expected) {
        return new ConfigException("--config " + path + ": \"" + key + "\" must be " + expected);
    }
}
