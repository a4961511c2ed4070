package io.benchlink.agent.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LedgerTest {
    private static JsonObject event(String status, long n) {
        JsonObject event = new JsonObject();
        event.addProperty("status", status);
        event.addProperty("serial_number", PacedTester.serial(n));
        return event;
    }

    @Test
    void acceptsEveryResultOnceAndIgnoresLinkStatuses() {
        List<JsonObject> events = new ArrayList<>(List.of(event("online", 0), event("success", 1), event("fail", 2),
                event("error", 3)));
        assertThat(Ledger.problems("store", events, 3)).isEmpty();
    }

    @Test
    void namesLostResultsAsRangesAndDoubledOnesWithTheirCount() {
        List<JsonObject> events = new ArrayList<>();
        for (long n : new long[] {1, 2, 2, 6, 9}) {
            events.add(event("success", n));
        }
        assertThat(Ledger.problems("subscriber", events, 10)).containsExactly(
                "subscriber: 6 results lost: SN-00003..SN-00005, SN-00007..SN-00008, SN-00010",
                "subscriber: SN-00002 arrived 2 times");
    }

    @Test
    void reportsResultsNobodyWrote() {
        assertThat(Ledger.problems("store", List.of(event("success", 1), event("fail", 42)), 1))
                .containsExactly("store: unexpected result SN-00042 x1");
    }
}
