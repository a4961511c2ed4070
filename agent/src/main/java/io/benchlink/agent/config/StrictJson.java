package io.benchlink.agent.config;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.math.BigDecimal;
import java.util.Set;
import java.util.TreeSet;

/**
 * Typed, strict reads from one JSON object of a config file: unknown keys, wrong types and fractions where an
 * integer belongs are errors naming the place ({@code devices[1].baud}), never silently coerced. Immutable.
 */
final class StrictJson {
    private final JsonObject object;
    private final String where;

    StrictJson(JsonObject object, String where) {
        this.object = object;
        this.where = where;
    }

    String where() {
        return where;
    }

    String at(String key) {
        return where.isEmpty() ? key : where + "." + key;
    }

    boolean has(String key) {
        return object.has(key) && !object.get(key).isJsonNull();
    }

    void allowOnly(Set<String> allowed) {
        for (String key : object.keySet()) {
            if (!allowed.contains(key)) {
                throw new ConfigException("config: unknown key \"" + at(key) + "\" (allowed: "
                        + String.join(", ", new TreeSet<>(allowed)) + ")");
            }
        }
    }

    String string(String key) {
        if (!has(key)) {
            return null;
        }
        JsonElement value = object.get(key);
        if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
            throw wrongType(key, "a string");
        }
        return value.getAsString();
    }

    Long integer(String key) {
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

    Double decimal(String key) {
        BigDecimal number = number(key, "a number");
        return number == null ? null : number.doubleValue();
    }

    Boolean bool(String key) {
        if (!has(key)) {
            return null;
        }
        JsonElement value = object.get(key);
        if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isBoolean()) {
            throw wrongType(key, "true or false");
        }
        return value.getAsBoolean();
    }

    JsonElement raw(String key) {
        return has(key) ? object.get(key) : null;
    }

    JsonArray array(String key) {
        if (!has(key)) {
            return null;
        }
        if (!object.get(key).isJsonArray()) {
            throw wrongType(key, "an array");
        }
        return object.get(key).getAsJsonArray();
    }

    StrictJson child(String key) {
        if (!object.get(key).isJsonObject()) {
            throw wrongType(key, "an object");
        }
        return new StrictJson(object.get(key).getAsJsonObject(), at(key));
    }

    ConfigException wrongType(String key, String expected) {
        String shown = object.get(key).toString();
        shown = shown.length() > 60 ? shown.substring(0, 60) + "..." : shown;
        return new ConfigException("config: " + at(key) + " must be " + expected + " (got " + shown + ")");
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
