package io.benchlink.gateway.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

class QueryStringTest {
    @Test
    void integersHaveAtMostEighteenDigitsOnEverySide() {
        assertThat(QueryString.nonNegative("999999999999999999")).isEqualTo(999_999_999_999_999_999L);
        assertThat(QueryString.nonNegative("1234567890123456789")).isEqualTo(-1);
        assertThat(QueryString.nonNegative("-1")).isEqualTo(-1);
        assertThat(QueryString.nonNegative("")).isEqualTo(-1);
        assertThat(QueryString.nonNegative("１２")).as("full-width digits").isEqualTo(-1);
    }

    @Test
    void unknownRepeatedAndMalformedParametersAreRefusedWithAReason() {
        assertThat(QueryString.parse("since=5&token=a%20b", Set.of("since", "token")))
                .containsEntry("since", "5").containsEntry("token", "a b");
        assertThatThrownBy(() -> QueryString.parse("x=1", Set.of("since"))).hasMessage("unknown query parameter x");
        assertThatThrownBy(() -> QueryString.parse("since=1&since=2", Set.of("since")))
                .hasMessage("repeated query parameter since");
        assertThatThrownBy(() -> QueryString.parse("since=%zz", Set.of("since"))).hasMessage("malformed query");
    }
}
