package io.benchlink.agent.config;

import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import io.benchlink.agent.profile.BuiltinProfiles;
import io.benchlink.agent.profile.LineEnding;
import io.benchlink.agent.profile.Profile;
import io.benchlink.common.config.ConfigException;
import io.benchlink.common.config.StrictObject;
import io.benchlink.common.json.Json;
import io.benchlink.common.status.InvalidFieldException;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Resolves a profile reference: a built-in name ({@code kv}, {@code jsonl}), a JSON file, or an inline JSON object.
 * The JSON format is in docs/PROFILES.md. Every fault becomes a one-line {@link ConfigException}. Stateless.
 */
public final class ProfileReader {
    private static final Set<String> REGEX_KEYS = Set.of("start", "mac", "serial", "pass", "fail", "error");
    private static final Set<String> KEYS = Set.of("name", "format", "start", "mac", "serial", "pass", "fail", "error",
            "test_timeout_s", "charset", "line_ending", "max_line_length", "command", "command_on_connect",
            "command_every_s");

    private ProfileReader() {
    }

    /** A built-in name or a file path (relative to {@code baseDir}). */
    public static Profile resolve(String reference, Path baseDir, String where) {
        var builtin = BuiltinProfiles.byName(reference);
        if (builtin.isPresent()) {
            return builtin.get();
        }
        Path file = baseDir.resolve(reference);
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(where + ": no built-in profile or file named \"" + reference
                    + "\" (built-ins: " + String.join(", ", BuiltinProfiles.names()) + ")");
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(where + ": cannot read " + file + " (" + e.getMessage() + ")");
        }
        try {
            return read(new StrictObject(Json.parseObject(text), where + "(" + file.getFileName() + ")", null));
        } catch (JsonParseException e) {
            throw new ConfigException(where + ": " + file + " is not a JSON object (" + e.getMessage()
                    + ")");
        }
    }

    static Profile fromElement(JsonElement element, Path baseDir, String where, StrictObject parent, String key) {
        if (element.isJsonObject()) {
            return read(parent.child(key));
        }
        if (element.isJsonPrimitive() && element.getAsJsonPrimitive().isString()) {
            return resolve(element.getAsString(), baseDir, where);
        }
        throw parent.wrongType(key, "a profile name, a file path or an object");
    }

    static Profile read(StrictObject json) {
        json.allowOnly(KEYS);
        String format = json.string("format");
        Profile.Format kind = format == null || format.equals("regex") ? Profile.Format.REGEX
                : format.equals("jsonl") ? Profile.Format.JSONL : null;
        if (kind == null) {
            throw new ConfigException(json.at("format")
                    + " must be regex or jsonl (got \"" + format + "\")");
        }
        if (kind == Profile.Format.JSONL) {
            REGEX_KEYS.stream().filter(json::has).findFirst().ifPresent(k -> {
                throw new ConfigException(json.at(k) + " is not used by format jsonl");
            });
        }
        try {
            return new Profile(json.string("name") == null ? "custom" : json.string("name"), kind,
                    regex(json, "start"), regex(json, "mac"), regex(json, "serial"), regex(json, "pass"),
                    regex(json, "fail"), regex(json, "error"), seconds(json, "test_timeout_s"), charset(json),
                    lineEnding(json), intOr(json, "max_line_length", Profile.DEFAULT_MAX_LINE),
                    json.string("command"), Boolean.TRUE.equals(json.bool("command_on_connect")),
                    seconds(json, "command_every_s"));
        } catch (InvalidFieldException e) {
            throw new ConfigException(json.at(e.getMessage()));
        }
    }

    private static Pattern regex(StrictObject json, String key) {
        String text = json.string(key);
        if (text == null) {
            return null;
        }
        try {
            return Pattern.compile(text);
        } catch (PatternSyntaxException e) {
            throw new ConfigException(json.at(key) + " is not a valid regex: " + e.getDescription()
                    + " near index " + e.getIndex());
        }
    }

    private static Duration seconds(StrictObject json, String key) {
        Long value = json.integer(key);
        return value == null ? null : Duration.ofSeconds(value);
    }

    private static int intOr(StrictObject json, String key, int fallback) {
        Long value = json.integer(key);
        if (value == null) {
            return fallback;
        }
        if (value > Integer.MAX_VALUE || value < Integer.MIN_VALUE) {
            throw json.wrongType(key, "an integer in range");
        }
        return value.intValue();
    }

    private static Charset charset(StrictObject json) {
        String name = json.string("charset");
        if (name == null) {
            return null;
        }
        try {
            return Charset.forName(name);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(json.at("charset")
                    + " is not a known charset (got \"" + name + "\")");
        }
    }

    private static LineEnding lineEnding(StrictObject json) {
        String text = json.string("line_ending");
        LineEnding ending = LineEnding.parse(text);
        if (text != null && ending == null) {
            throw new ConfigException(json.at("line_ending") + " must be auto, \\n, \\r\\n or \\r");
        }
        return ending;
    }
}
