package io.benchlink.common.config;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonPrimitive;
import io.benchlink.common.json.Json;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Typed, strict reads from one JSON object of a config file, shared by the agent and the gateway: unknown keys,
 * wrong types and fractions where an integer belongs are {@link ConfigException}s naming the key as the file
 * spells it ({@code devices[1].baud}, and the file when one is given), never silently coerced. Immutable.
 */
public final class StrictObject {
    private final JsonObject object;
    private final String where;
    private final Path file;
    private final String in;

    /**
     * @param where the path of this object inside the file ("" for the root), prefixed to every key named
     * @param file  the file named in messages after the key, or null to name only the key
     */
    public StrictObject(JsonObject object, String where, Path file) {
        this.object = object;
        this.where = where;
        this.file = file;
        this.in = file == null ? "" : " in " + file;
    }

    /** Reads a UTF-8 file holding one JSON object (a leading byte-order mark is ignored). */
    public static JsonObject readObject(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException("cannot read " + file + " (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + ")");
        }
        try {
            return Json.parseObject(text.startsWith("\uFEFF") ? text.substring(1) : text);
        } catch (JsonParseException e) {
            throw new ConfigException(file + " is not a JSON object (" + e.getMessage() + ")");
        }
    }

    public String where() {
        return where;
    }

    /** The key as the user finds it in the file: its path, then the file if one was given. */
    public String name(String key) {
        return at(key) + in;
    }

    public String at(String key) {
        return where.isEmpty() ? key : where + "." + key;
    }

    public boolean has(String key) {
        return object.has(key) && !object.get(key).isJsonNull();
    }

    public void allowOnly(Set<String> allowed) {
        for (String key : object.keySet()) {
            if (!allowed.contains(key)) {
                throw new ConfigException("unknown key \"" + at(key) + "\"" + in + " (allowed: "
                        + String.join(", ", new TreeSet<>(allowed)) + ")");
            }
        }
    }

    public String string(String key) {
        if (!has(key)) {
            return null;
        }
        JsonElement value = object.get(key);
        if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
            throw wrongType(key, "a string");
        }
        return value.getAsString();
    }

    public Long integer(String key) {
        BigDecimal number = number(key, "an integer");
        if (number == null) {
            return null;
        }
        try {
            return number.longValueExact();
        } catch (ArithmeticException e) {
            throw wrongType(key, "an integer");
        }
    }

    /** An integer that fits an {@code int}; larger ones are refused, never wrapped. */
    public Integer int32(String key) {
        Long value = integer(key);
        if (value == null) {
            return null;
        }
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw wrongType(key, "an integer in range");
        }
        return value.intValue();
    }

    public Double decimal(String key) {
        BigDecimal number = number(key, "a number");
        return number == null ? null : number.doubleValue();
    }

    public Boolean bool(String key) {
        if (!has(key)) {
            return null;
        }
        JsonElement value = object.get(key);
        if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isBoolean()) {
            throw wrongType(key, "true or false");
        }
        return value.getAsBoolean();
    }

    public JsonElement raw(String key) {
        return has(key) ? object.get(key) : null;
    }

    public JsonArray array(String key) {
        if (!has(key)) {
            return null;
        }
        if (!object.get(key).isJsonArray()) {
            throw wrongType(key, "an array");
        }
        return object.get(key).getAsJsonArray();
    }

    public List<String> strings(String key) {
        JsonArray array = array(key);
        if (array == null) {
            return null;
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

    public StrictObject child(String key) {
        if (!object.get(key).isJsonObject()) {
            throw wrongType(key, "an object");
        }
        return new StrictObject(object.get(key).getAsJsonObject(), at(key), file);
    }

    public ConfigException wrongType(String key, String expected) {
        String shown = object.get(key).toString();
        shown = shown.length() > 60 ? shown.substring(0, 60) + "..." : shown;
        return new ConfigException(name(key) + " must be " + expected + " (got " + shown + ")");
    }

    private BigDecimal number(String key, String expected) {
        if (!has(key)) {
            return null;
        }
        JsonElement value = object.get(key);
        if (!value.isJsonPrimitive() || !((JsonPrimitive) value).isNumber()) {
            throw wrongType(key, expected);
        }
        return value.getAsBigDecimal();
    }
}
