package io.benchlink.gateway.onec;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Pattern;

/**
 * Java twin of the 1C module {@code docs/1c/BenchlinkEvents.bsl} (БенчлинкСобытия), step for step, so the
 * conformance test exercises the rules the customer's 1C code follows: every frame becomes a string map (the
 * 1C side reads it into a Соответствие), fields are checked as there, times become whole-second dates as
 * {@code XMLЗначение(Тип("Дата"), Лев(Значение, 19))} does, and the handler plus the new position commit
 * together (here: under one lock; in 1C: one transaction) so each event is handled exactly once.
 *
 * <p>Owned by: whichever connection thread delivers a frame; all state is guarded by {@code this}. The
 * position map stands for the information register БенчлинкПозиции, which outlives any gateway restart.
 */
final class OneCEventHandling {
    enum Outcome { PROCESSED, DUPLICATE, DROPPED, HANDLER_FAILED }

    /** What the 1C handlers receive (the Структура Событие of БенчлинкСобытия). */
    record Event(long seq, String status, String deviceId, String mac, String serialNumber, LocalDateTime timeStart,
            LocalDateTime timeEnd, LocalDateTime updatedAt, String result, Map<String, String> data) {
    }

    private static final Set<String> STATUSES = Set.of("success", "fail", "error", "online", "offline");
    private static final Pattern DEVICE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern MAC = Pattern.compile("([0-9A-F]{2}:){5}[0-9A-F]{2}");
    private static final Pattern SEQ = Pattern.compile("[1-9][0-9]{0,18}");

    private final Map<String, Long> positions = new HashMap<>();
    private final List<Event> handled = new ArrayList<>();
    private final List<String> errors = new ArrayList<>();
    /** Closed gate = a slow 1C server call: the delivering thread waits before handling, as 1C would. */
    private volatile CountDownLatch gate = new CountDownLatch(0);
    /** How many coming handler calls throw, as an integrator's handler might (rolls back, position stays). */
    private int handlerFailuresToInject;

    /** БенчлинкСобытия.ОбработатьСообщение: parse one text frame, then {@link #processData}. */
    Outcome processFrame(String subscription, String text) throws InterruptedException {
        gate.await();
        Map<String, String> data;
        try {
            data = parseFrame(text);
        } catch (RuntimeException e) {
            logError("not a JSON object, dropped: " + e.getMessage());
            return Outcome.DROPPED;
        }
        return processData(subscription, data);
    }

    /** БенчлинкСобытия.ОбработатьДанные: the resume rule. */
    synchronized Outcome processData(String subscription, Map<String, String> data) {
        String seqText = data.get("seq");
        if (seqText == null || !SEQ.matcher(seqText).matches()) {
            logError("event without a valid seq dropped: " + data);
            return Outcome.DROPPED;
        }
        long seq = Long.parseLong(seqText);
        if (seq <= position(subscription)) {
            return Outcome.DUPLICATE;
        }
        Event event;
        try {
            event = toEvent(data, seq);
        } catch (IllegalArgumentException e) {
            // As in 1C: logged as an error and skipped, the position moves on so the stream cannot stall here.
            positions.put(subscription, seq);
            logError("event seq=" + seq + " with invalid fields dropped: " + e.getMessage());
            return Outcome.DROPPED;
        }
        if (handlerFailuresToInject > 0) {
            handlerFailuresToInject--;
            logError("handler of seq=" + seq + " failed, the event will be repeated");
            return Outcome.HANDLER_FAILED;
        }
        handled.add(event);
        positions.put(subscription, seq);
        return Outcome.PROCESSED;
    }

    /** Every value as a string, JSON null as null: the 1C Соответствие after ПрочитатьJSON(Чтение, Истина). */
    static Map<String, String> parseFrame(String text) {
        JsonElement root = JsonParser.parseString(text);
        if (!root.isJsonObject()) {
            throw new IllegalArgumentException("expected a JSON object");
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> field : ((JsonObject) root).entrySet()) {
            JsonElement value = field.getValue();
            map.put(field.getKey(), value.isJsonNull() ? null
                    : value.isJsonPrimitive() ? value.getAsString() : value.toString());
        }
        return map;
    }

    /** {@code XMLЗначение(Тип("Дата"), Лев(Значение, 19))} after the 6-fraction-digit check of ДатаИзСтроки. */
    static LocalDateTime toOneCDate(String value) {
        if (value == null || value.length() != 26 || value.charAt(10) != 'T' || value.charAt(19) != '.'
                || !value.substring(20).chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("time not in yyyy-MM-ddTHH:mm:ss.ffffff: " + value);
        }
        try {
            return LocalDateTime.parse(value.substring(0, 19));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("time not a valid date: " + value);
        }
    }

    /** БенчлинкСобытия.ПропуститьДо: move past events the gateway no longer has, without handling any. */
    synchronized void skipTo(String subscription, long seq) {
        if (seq > position(subscription)) {
            positions.put(subscription, seq);
        }
    }

    synchronized long position(String subscription) {
        return positions.getOrDefault(subscription, 0L);
    }

    synchronized List<Event> handled() {
        return List.copyOf(handled);
    }

    synchronized int handledCount() {
        return handled.size();
    }

    synchronized List<String> errors() {
        return List.copyOf(errors);
    }

    synchronized void failNextHandlerCalls(int count) {
        handlerFailuresToInject = count;
    }

    void closeGate() {
        gate = new CountDownLatch(1);
    }

    void openGate() {
        gate.countDown();
    }

    private static Event toEvent(Map<String, String> data, long seq) {
        String status = required(data, "status");
        if (!STATUSES.contains(status)) {
            throw new IllegalArgumentException("status: unknown \"" + status + "\"");
        }
        String mac = required(data, "mac_address");
        if (!mac.equals("unknown") && !MAC.matcher(mac).matches()) {
            throw new IllegalArgumentException("mac_address: \"" + mac + "\"");
        }
        String deviceId = required(data, "device_id");
        if (!DEVICE_ID.matcher(deviceId).matches() || deviceId.equals("all")) {
            throw new IllegalArgumentException("device_id: \"" + deviceId + "\"");
        }
        return new Event(seq, status, deviceId, mac, required(data, "serial_number"), optionalDate(data, "time_start"),
                optionalDate(data, "time_end"), toOneCDate(data.get("updated_at")), data.get("result"), data);
    }

    private static String required(Map<String, String> data, String name) {
        String value = data.get(name);
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(name + ": required non-empty string");
        }
        return value;
    }

    private static LocalDateTime optionalDate(Map<String, String> data, String name) {
        return data.get(name) == null ? null : toOneCDate(data.get(name));
    }

    private synchronized void logError(String message) {
        errors.add(message);
    }
}
