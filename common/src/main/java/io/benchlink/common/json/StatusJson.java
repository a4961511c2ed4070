package io.benchlink.common.json;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import com.google.gson.stream.JsonWriter;
import io.benchlink.common.status.DeviceStatus;
import io.benchlink.common.status.InvalidFieldException;
import io.benchlink.common.status.StatusKind;
import io.benchlink.common.time.WallClock;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.LocalDateTime;

/**
 * The one place that knows the JSON names of PROTOCOL.md §1. Writing is streamed (one pass, no tree) because the
 * gateway encodes every event once for all subscribers; reading is strict about types and names the field at
 * fault. Stateless; safe to share.
 */
public final class StatusJson {
    public static final String MAC_ADDRESS = "mac_address";
    public static final String SERIAL_NUMBER = "serial_number";
    public static final String STATUS = "status";
    public static final String TIME_START = "time_start";
    public static final String TIME_END = "time_end";
    public static final String UPDATED_AT = "updated_at";
    public static final String RESULT = "result";
    public static final String DEVICE_ID = "device_id";
    public static final String SEQ = "seq";

    private StatusJson() {
    }

    /** The 1C-facing text: the eight seed fields always present (nulls written), plus {@code seq} once stored. */
    public static String toJson(DeviceStatus status) {
        StringWriter out = new StringWriter(256);
        try (JsonWriter json = new JsonWriter(out)) {
            json.setSerializeNulls(true);
            write(json, status);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.toString();
    }

    public static void write(JsonWriter json, DeviceStatus status) throws IOException {
        json.beginObject();
        json.name(MAC_ADDRESS).value(status.macAddress());
        json.name(SERIAL_NUMBER).value(status.serialNumber());
        json.name(STATUS).value(status.status().wireName());
        json.name(TIME_START).value(WallClock.format(status.timeStart()));
        json.name(TIME_END).value(WallClock.format(status.timeEnd()));
        json.name(UPDATED_AT).value(WallClock.format(status.updatedAt()));
        json.name(RESULT).value(status.result());
        json.name(DEVICE_ID).value(status.deviceId());
        if (status.seq() > 0) {
            json.name(SEQ).value(status.seq());
        }
        json.endObject();
    }

    /**
     * Reads a status sent by an agent or an HTTP client. Unknown fields are ignored (1C-side tools add their
     * own); {@code seq} is ignored because only the gateway assigns it; a missing {@code updated_at} takes
     * {@code receivedAt} because the gateway sets it on store anyway.
     */
    public static DeviceStatus fromJson(JsonObject object, WallClock clock, LocalDateTime receivedAt) {
        LocalDateTime updated = clock.parse(UPDATED_AT, optionalString(object, UPDATED_AT));
        return new DeviceStatus(
                optionalString(object, MAC_ADDRESS),
                optionalString(object, SERIAL_NUMBER),
                StatusKind.fromWire(requiredString(object, STATUS)),
                clock.parse(TIME_START, optionalString(object, TIME_START)),
                clock.parse(TIME_END, optionalString(object, TIME_END)),
                updated == null ? receivedAt : updated,
                optionalString(object, RESULT),
                requiredString(object, DEVICE_ID),
                0);
    }

    /** Reads a status back as the gateway wrote it, keeping its {@code seq} (used by clients and tests). */
    public static DeviceStatus fromStoredJson(String text, WallClock clock) {
        JsonObject object = Json.parseObject(text);
        DeviceStatus status = fromJson(object, clock, null);
        JsonElement seq = object.get(SEQ);
        return seq == null || seq.isJsonNull() ? status : status.withSeq(seq.getAsLong());
    }

    static String requiredString(JsonObject object, String field) {
        String value = optionalString(object, field);
        if (value == null) {
            throw new InvalidFieldException(field, null, "is required");
        }
        return value;
    }

    static String optionalString(JsonObject object, String field) {
        JsonElement element = object.get(field);
        if (element == null || element.isJsonNull()) {
            return null;
        }
        if (element instanceof JsonPrimitive primitive && primitive.isString()) {
            return primitive.getAsString();
        }
        throw new InvalidFieldException(field, element, "must be a string");
    }
}
