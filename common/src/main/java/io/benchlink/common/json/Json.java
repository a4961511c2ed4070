package io.benchlink.common.json;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;

/** The project's one configured Gson and a strict object parser for untrusted input. */
public final class Json {
    /** Nesting deeper than any message of ours; deeper input is refused before it can exhaust the stack. */
    public static final int MAX_DEPTH = 16;

    public static final Gson GSON = new GsonBuilder()
            .serializeNulls()
            .disableHtmlEscaping()
            .create();

    private Json() {
    }

    /** Parses one JSON object; anything else (array, scalar, trailing data, too deep) is a {@link JsonParseException}. */
    public static JsonObject parseObject(String text) {
        try (JsonReader reader = new JsonReader(new StringReader(text))) {
            reader.setStrictness(Strictness.STRICT);
            // gson counts the depth as it reads, so hostile nesting is refused before the tree grows deep
            reader.setNestingLimit(MAX_DEPTH);
            // JsonParser.parseReader would switch the reader to lenient mode; the adapter keeps it strict.
            JsonElement element = GSON.getAdapter(JsonElement.class).read(reader);
            if (!element.isJsonObject()) {
                throw new JsonParseException("expected a JSON object");
            }
            requireEnd(reader);
            return element.getAsJsonObject();
        } catch (IOException | IllegalStateException | NumberFormatException e) {
            throw new JsonParseException(readable(e.getMessage()), e);
        }
    }

    private static void requireEnd(JsonReader reader) {
        try {
            if (reader.peek() == JsonToken.END_DOCUMENT) {
                return;
            }
        } catch (IOException e) {
            // a second top-level value is a syntax error in strict mode: report it as what it is
        }
        throw new JsonParseException("trailing data after the JSON object");
    }

    /** Gson's messages carry a troubleshooting URL and advice to go lenient; keep only the fault and place. */
    static String readable(String message) {
        if (message == null) {
            return "malformed JSON";
        }
        String line = message.lines().findFirst().orElse("malformed JSON");
        if (line.startsWith("Nesting limit ")) {
            return "nesting deeper than " + MAX_DEPTH + line.substring(line.indexOf(" reached") + " reached".length());
        }
        return line.replace("Use JsonReader.setStrictness(Strictness.LENIENT) to accept malformed JSON", "malformed JSON");
    }
}
