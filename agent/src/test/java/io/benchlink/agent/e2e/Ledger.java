package io.benchlink.agent.e2e;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Books the results (success/fail/error events) that reached a subscriber or a store against the serial numbers
 * the tester wrote, and words every difference: lost ones as ranges, doubled ones with their count.
 */
final class Ledger {
    private static final Set<String> RESULT_KINDS = Set.of("success", "fail", "error");

    private Ledger() {
    }

    /** Serial number → how many result events carry it. */
    static Map<String, Integer> results(List<JsonObject> events) {
        Map<String, Integer> counts = new TreeMap<>();
        for (JsonObject event : events) {
            if (RESULT_KINDS.contains(event.get("status").getAsString())) {
                JsonElement serial = event.get("serial_number");
                counts.merge(serial == null || serial.isJsonNull() ? "null" : serial.getAsString(), 1, Integer::sum);
            }
        }
        return counts;
    }

    /** Empty when results 1..expected each appear exactly once and nothing else does; else one line per fault. */
    static List<String> problems(String where, List<JsonObject> events, int expected) {
        Map<String, Integer> counts = results(events);
        List<String> problems = new ArrayList<>();
        List<Long> lost = new ArrayList<>();
        for (long n = 1; n <= expected; n++) {
            Integer count = counts.remove(PacedTester.serial(n));
            if (count == null) {
                lost.add(n);
            } else if (count > 1) {
                problems.add(where + ": " + PacedTester.serial(n) + " arrived " + count + " times");
            }
        }
        if (!lost.isEmpty()) {
            problems.add(0, where + ": " + lost.size() + " results lost: " + ranges(lost));
        }
        counts.forEach((serial, count) -> problems.add(where + ": unexpected result " + serial + " x" + count));
        return problems;
    }

    /** 3, 4, 5, 9 → "SN-00003..SN-00005, SN-00009" (at most 20 ranges). */
    static String ranges(List<Long> numbers) {
        StringBuilder text = new StringBuilder();
        int shown = 0;
        for (int i = 0; i < numbers.size() && shown < 20; shown++) {
            int j = i;
            while (j + 1 < numbers.size() && numbers.get(j + 1) == numbers.get(j) + 1) {
                j++;
            }
            text.append(shown > 0 ? ", " : "").append(PacedTester.serial(numbers.get(i)));
            if (j > i) {
                text.append("..").append(PacedTester.serial(numbers.get(j)));
            }
            i = j + 1;
        }
        return shown == 20 ? text + ", ..." : text.toString();
    }
}
