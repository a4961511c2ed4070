package io.benchlink.common.protocol;

import io.benchlink.common.text.OneLine;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonPrimitive;
import com.google.gson.stream.JsonWriter;
import io.benchlink.common.json.Json;
import io.benchlink.common.json.StatusJson;
import io.benchlink.common.status.InvalidFieldException;
import io.benchlink.common.time.WallClock;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes and decodes the agent-link frames of PROTOCOL.md §3. Decoding is total: any text either becomes a valid
 * frame or a {@link FrameException} whose one-line message names the fault. Immutable; safe to share.
 */
public final class AgentFrameCodec {
    private final WallClock clock;

    public AgentFrameCodec(WallClock clock) {
        this.clock = clock;
    }

    public String encode(AgentFrame frame) {
        StringWriter out = new StringWriter(256);
        try (JsonWriter json = new JsonWriter(out)) {
            json.setSerializeNulls(true);
            json.beginObject();
            if (frame instanceof Hello hello) {
                json.name("type").value("hello");
                json.name("agent_id").value(hello.agentId());
                json.name("token").value(hello.token());
                json.name("devices").beginArray();
                for (String device : hello.devices()) {
                    json.value(device);
                }
                json.endArray();
            } else if (frame instanceof Welcome welcome) {
                json.name("type").value("welcome").name("last_seq").value(welcome.lastSeq());
                if (!welcome.features().isEmpty()) {
                    json.name("features").beginArray();
                    for (String feature : welcome.features()) {
                        json.value(feature);
                    }
                    json.endArray();
                }
            } else if (frame instanceof StatusFrame status) {
                json.name("type").value("status").name("seq").value(status.seq());
                json.name("status");
                StatusJson.write(json, status.status());
            } else if (frame instanceof Ack ack) {
                json.name("type").value("ack").name("seq").value(ack.seq());
            } else if (frame instanceof ErrorFrame error) {
                json.name("type").value("error");
                if (error.aboutOneStatus()) {
                    json.name("seq").value(error.seq()).name("device_id").value(error.deviceId());
                }
                json.name("message").value(error.message());
            } else if (frame instanceof Goodbye goodbye) {
                json.name("type").value("goodbye");
                if (goodbye.reason() != null) {
                    json.name("reason").value(goodbye.reason());
                }
            }
            json.endObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** Decodes one frame; {@code receivedAt} fills a status's missing {@code updated_at}. */
    public AgentFrame decode(String text, LocalDateTime receivedAt) throws FrameException {
        JsonObject object;
        try {
            object = Json.parseObject(text);
        } catch (JsonParseException e) {
            throw new FrameException("not a JSON object: " + oneLine(e.getMessage()));
        }
        try {
            String type = string(object, "type");
            return switch (type == null ? "" : type) {
                case "hello" -> new Hello(string(object, "agent_id"), string(object, "token"),
                        strings(object, "devices", "device ids"));
                case "welcome" -> new Welcome(number(object, "last_seq"), strings(object, "features", "names"));
                case "status" -> new StatusFrame(number(object, "seq"),
                        StatusJson.fromJson(object(object, "status"), clock, receivedAt));
                case "ack" -> new Ack(number(object, "seq"));
                case "error" -> object.has("seq")
                        ? new ErrorFrame(string(object, "message"), number(object, "seq"), string(object, "device_id"))
                        : new ErrorFrame(string(object, "message"));
                case "goodbye" -> new Goodbye(string(object, "reason"));
                default -> throw new FrameException("unknown frame type " + quote(type));
            };
        } catch (InvalidFieldException e) {
            throw new FrameException("invalid frame: " + e.getMessage());
        }
    }

    private static String string(JsonObject object, String field) {
        JsonElement element = object.get(field);
        if (element == null || element.isJsonNull()) {
            return null;
        }
        if (element instanceof JsonPrimitive p && p.isString()) {
            return p.getAsString();
        }
        throw new InvalidFieldException(field, element, "must be a string");
    }

    private static long number(JsonObject object, String field) {
        JsonElement element = object.get(field);
        if (element instanceof JsonPrimitive p && p.isNumber()) {
            try {
                return p.getAsBigDecimal().longValueExact();
            } catch (ArithmeticException | NumberFormatException e) {
                throw new InvalidFieldException(field, element, "must be a whole number");
            }
        }
        throw new InvalidFieldException(field, element, "must be a whole number");
    }

    private static JsonObject object(JsonObject object, String field) {
        JsonElement element = object.get(field);
        if (element instanceof JsonObject o) {
            return o;
        }
        throw new InvalidFieldException(field, element, "must be an object");
    }

    /** An optional array of strings ({@code what} names its items in the error message). */
    private static List<String> strings(JsonObject object, String field, String what) {
        JsonElement element = object.get(field);
        if (element == null || element.isJsonNull()) {
            return List.of();
        }
        if (!(element instanceof JsonArray array)) {
            throw new InvalidFieldException(field, element, "must be an array of " + what);
        }
        List<String> items = new ArrayList<>(array.size());
        for (JsonElement item : array) {
            if (!(item instanceof JsonPrimitive p && p.isString())) {
                throw new InvalidFieldException(field, item, "must be an array of " + what);
            }
            items.add(p.getAsString());
        }
        return items;
    }

    private static String quote(String text) {
        return text == null ? "null" : '"' + (text.length() > 40 ? text.substring(0, 40) + "..." : text) + '"';
    }

    private static String oneLine(String message) {
        return message == null ? "unreadable" : OneLine.of(message, 160);
    }
}
