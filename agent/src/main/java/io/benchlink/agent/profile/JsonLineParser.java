package io.benchlink.agent.profile;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import io.benchlink.common.json.Json;
import io.benchlink.common.status.StatusKind;
import java.util.Locale;

/**
 * The {@link Profile.Format#JSONL} parser: one JSON object per line with the keys {@code event}
 * ({@code start|pass|fail|error}, anything else is informational), {@code mac}, {@code sn} (or
 * {@code serial_number}) and {@code message}. A line that is not a JSON object is ignored. Stateless.
 */
final class JsonLineParser implements LineParser {
    @Override
    public LineFacts parse(String line) {
        String text = line.trim();
        if (!text.startsWith("{")) {
            return LineFacts.NONE;
        }
        JsonObject object;
        try {
            object = Json.parseObject(text);
        } catch (JsonParseException | StackOverflowError e) {
            return LineFacts.NONE;
        }
        String event = string(object, "event");
        String mac = string(object, "mac");
        String serial = string(object, "sn");
        serial = serial == null ? string(object, "serial_number") : serial;
        StatusKind result = outcome(event);
        String message = string(object, "message");
        boolean start = "start".equalsIgnoreCase(event);
        if (result != null && (message == null || message.isBlank())) {
            message = text;
        }
        return new LineFacts(start, mac, serial, result, result == null ? null : message);
    }

    private static StatusKind outcome(String event) {
        if (event == null) {
            return null;
        }
        switch (event.toLowerCase(Locale.ROOT)) {
            case "pass":
                return StatusKind.SUCCESS;
            case "fail":
                return StatusKind.FAIL;
            case "error":
                return StatusKind.ERROR;
            default:
                return null;
        }
    }

    private static String string(JsonObject object, String key) {
        JsonElement value = object.get(key);
        return value != null && value.isJsonPrimitive() ? value.getAsString() : null;
    }
}
