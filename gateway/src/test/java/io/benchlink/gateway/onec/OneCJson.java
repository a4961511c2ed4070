package io.benchlink.gateway.onec;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What 1C's {@code ПрочитатьJSON(Чтение, Истина)} makes of a JSON text, as the kit's BSL relies on it: an object
 * becomes a Соответствие ({@link Map}, keys in order), an array a Массив ({@link List}), a number an Число
 * ({@link java.math.BigDecimal}: 1C numbers are decimal), a string a Строка, true/false a Булево and null
 * Неопределено ({@code null}). So {@code "seq": 42} and {@code "seq": "42"} stay different here as they do in 1C.
 * Stateless.
 */
final class OneCJson {
    private OneCJson() {
    }

    /** ПрочитатьJSON(Чтение, Истина); a text that is not JSON throws, as the platform does. */
    static Object read(String text) {
        return toOneC(JsonParser.parseString(text));
    }

    private static Object toOneC(JsonElement element) {
        if (element.isJsonNull()) {
            return null;
        }
        if (element.isJsonObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            element.getAsJsonObject().entrySet().forEach(e -> map.put(e.getKey(), toOneC(e.getValue())));
            return Collections.unmodifiableMap(map);
        }
        if (element.isJsonArray()) {
            List<Object> list = new ArrayList<>();
            element.getAsJsonArray().forEach(e -> list.add(toOneC(e)));
            return Collections.unmodifiableList(list);
        }
        JsonPrimitive primitive = element.getAsJsonPrimitive();
        if (primitive.isNumber()) {
            return primitive.getAsBigDecimal();
        }
        return primitive.isBoolean() ? (Object) primitive.getAsBoolean() : primitive.getAsString();
    }
}
