package io.benchlink.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class QueryTest {
    private static final Set<String> EVENTS = Set.of("since", "device_id", "limit");

    @Test
    void decodesKnownParametersAndAlwaysAllowsTheToken() {
        Map<String, String> params = Query.parse("since=5&device_id=bench%2D1&token=a%20b", EVENTS);
        assertThat(params).containsEntry("since", "5").containsEntry("device_id", "bench-1")
                .containsEntry("token", "a b");
        assertThat(Query.parse(null, EVENTS)).isEmpty();
    }

    @Test
    void refusesUnknownRepeatedAndMalformedParametersWith400() {
        for (String raw : new String[] {"x=1", "since=1&since=1", "since=%zz", "limit"}) {
            assertThatThrownBy(() -> Query.parse(raw, Set.of("since")))
                    .as(raw).isInstanceOfSatisfying(HttpError.class, e -> assertThat(e.status()).isEqualTo(400));
        }
    }

    @Test
    void readsNumbersStrictlyWithinTheirRange() {
        assertThat(Query.nonNegative(Map.of(), "since", 0)).isZero();
        assertThat(Query.nonNegative(Map.of("since", "123456789012"), "since", 0)).isEqualTo(123456789012L);
        assertThat(Query.inRange(Map.of("limit", "10000"), "limit", 1000, 1, 10000)).isEqualTo(10000);
        for (String bad : new String[] {"-1", "+1", "1e3", "", " 1", "9999999999999999999"}) {
            assertThatThrownBy(() -> Query.nonNegative(Map.of("since", bad), "since", 0)).as(bad)
                    .isInstanceOf(HttpError.class).hasMessageStartingWith("since must be a non-negative integer");
        }
        assertThatThrownBy(() -> Query.inRange(Map.of("limit", "0"), "limit", 1000, 1, 10000))
                .hasMessage("limit must be 1..10000 (got 0)");
    }

    @Test
    void looseParsingFindsTheTokenAndNeverThrows() {
        assertThat(Query.parseLoose("since=%zz&token=t")).containsOnlyKeys("token");
        assertThat(Query.parseLoose("unknown=1&token=t%21")).containsEntry("token", "t!");
    }
}
