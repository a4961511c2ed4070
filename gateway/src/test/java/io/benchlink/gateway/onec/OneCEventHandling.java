package io.benchlink.gateway.onec;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Pattern;

/**
 * Java twin of the 1C module {@code docs/1c/BenchlinkEvents.bsl} (БенчлинкСобытия): the same checks in the same
 * order on the value {@code ПрочитатьJSON(Чтение, Истина)} gives ({@link OneCJson}: a number stays a number, so a
 * string seq is rejected as the BSL rejects it), times cut to whole seconds as
 * {@code XMLЗначение(Тип("Дата"), Лев(Значение, 19))} does, and the handler plus the new position committed
 * together (here under one lock; in 1C one transaction), so each event is handled exactly once.
 *
 * <p>What it proves: the gateway's side of the contract and the resume rule the BSL follows. What it does not:
 * that the BSL compiles on a platform or that the platform calls behave as the kit assumes.
 *
 * <p>Owned by: the 1C client thread of {@link OneCWebSocketClient} or the polling test thread; state is guarded by
 * {@code this} because tests read it from their own thread. The position map stands for the information register
 * БенчлинкПозиции, which outlives any gateway restart.
 */
final class OneCEventHandling {
    enum Outcome { PROCESSED, DUPLICATE, DROPPED, HANDLER_FAILED }

    /** What the 1C handlers receive (the Структура Событие of БенчлинкСобытия). */
    record Event(long seq, String status, String deviceId, String mac, String serialNumber, LocalDateTime timeStart,
            LocalDateTime timeEnd, LocalDateTime updatedAt, String result, Map<String, Object> data) {
    }

    private static final Set<String> STATUSES = Set.of("success", "fail", "error", "online", "offline");
    private static final Pattern DEVICE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern MAC = Pattern.compile("([0-9A-F]{2}:){5}[0-9A-F]{2}");

    private final Map<String, Long> positions = new HashMap<>();
    private final List<Event> handled = new ArrayList<>();
    private final List<String> errors = new ArrayList<>();
    /** Closed gate = a slow 1C server call: the client thread waits before handling, as 1C would. */
    private volatile CountDownLatch gate = new CountDownLatch(0);
    /** How many coming handler calls throw, as an integrator's handler might (rolls back, position stays). */
    private int handlerFailuresToInject;

    /** БенчлинкСобытия.ОбработатьСообщение: parse one text frame, then {@link #processData}. */
    Outcome processFrame(String subscription, String text) throws InterruptedException {
        gate.await();
        Object data;
        try {
            data = OneCJson.read(text);
        } catch (RuntimeException e) {
            logError("not JSON, dropped: " + e.getMessage());
            return Outcome.DROPPED;
        }
        if (!(data instanceof Map)) {
            logError("not a JSON object, dropped: " + text);
            return Outcome.DROPPED;
        }
        return processData(subscription, data);
    }

    /** БенчлинкСобытия.ОбработатьДанные: the resume rule. */
    synchronized Outcome processData(String subscription, Object data) {
        Long seq = readSeq(data);
        if (seq == null) {
            logError("event without a valid seq dropped: " + data);
            return Outcome.DROPPED;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> fields = (Map<String, Object>) data;
        Event event = null;
        String invalid = null;
        try {
            event = toEvent(fields, seq);
        } catch (IllegalArgumentException e) {
            invalid = e.getMessage();
        }
        if (seq <= position(subscription)) {
            return Outcome.DUPLICATE;
        }
        if (event == null) {
            // As in 1C: logged as an error and skipped, the position moves on so the stream cannot stall here.
            positions.put(subscription, seq);
            logError("event seq=" + seq + " with invalid fields dropped: " + invalid);
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

    /** ПрочитатьSeq: an Число that is a whole number above 0; anything else (a string "42" too) is no seq. */
    static Long readSeq(Object data) {
        if (!(data instanceof Map<?, ?> map) || !(map.get("seq") instanceof BigDecimal seq)) {
            return null;
        }
        if (seq.signum() <= 0 || seq.stripTrailingZeros().scale() > 0) {
            return null;
        }
        try {
            return seq.longValueExact();
        } catch (ArithmeticException e) {
            return null; // beyond what the gateway can issue
        }
    }

    /** ДатаИзСтроки: {@code XMLЗначение(Тип("Дата"), Лев(Значение, 19))} after the 6-fraction-digit check. */
    static LocalDateTime toOneCDate(Object value) {
        if (!(value instanceof String text) || text.length() != 26 || text.charAt(10) != 'T' || text.charAt(19) != '.'
                || !text.substring(20).chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("time not in yyyy-MM-ddTHH:mm:ss.ffffff: " + value);
        }
        try {
            return LocalDateTime.parse(text.substring(0, 19));
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

    private static Event toEvent(Map<String, Object> data, long seq) {
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
        Object result = data.get("result");
        if (result != null && !(result instanceof String)) {
            throw new IllegalArgumentException("result: a string or null expected");
        }
        return new Event(seq, status, deviceId, mac, required(data, "serial_number"), optionalDate(data, "time_start"),
                optionalDate(data, "time_end"), toOneCDate(data.get("updated_at")), (String) result, data);
    }

    private static String required(Map<String, Object> data, String name) {
        if (!(data.get(name) instanceof String value) || value.isEmpty()) {
            throw new IllegalArgumentException(name + ": required non-empty string");
        }
        return value;
    }

    private static LocalDateTime optionalDate(Map<String, Object> data, String name) {
        return data.get(name) == null ? null : toOneCDate(data.get(name));
    }

    private synchronized void logError(String message) {
        errors.add(message);
    }
}
