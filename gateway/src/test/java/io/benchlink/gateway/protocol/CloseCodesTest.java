package io.benchlink.gateway.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A close reason fits the 123 bytes RFC 6455 §5.5 leaves it, cut on a character boundary (PROTOCOL.md §2). */
class CloseCodesTest {
    @Test
    void aShortReasonIsKeptAsItIs() {
        assertThat(CloseCodes.reason("subscriber fell behind; reconnect with since=42"))
                .isEqualTo("subscriber fell behind; reconnect with since=42");
        assertThat(CloseCodes.reason(null)).isEmpty();
    }

    @Test
    void aLongAsciiReasonIsCutAt120Bytes() {
        assertThat(CloseCodes.reason("a".repeat(120))).hasSize(120);
        assertThat(CloseCodes.reason("a".repeat(121))).isEqualTo("a".repeat(120));
    }

    @Test
    void twoAndThreeByteCharactersCountWithTheirUtf8Size() {
        String cyrillic = CloseCodes.reason("ж".repeat(100)); // 2 bytes each
        assertThat(cyrillic).hasSize(60);
        assertThat(cyrillic.getBytes(StandardCharsets.UTF_8)).hasSize(120);

        String euro = CloseCodes.reason("€".repeat(100)); // 3 bytes each
        assertThat(euro).hasSize(40);

        assertThat(CloseCodes.reason("a" + "ж".repeat(60))).as("121 bytes: the last does not fit").hasSize(60);
        assertThat(CloseCodes.reason("\u007f\u0080\u07ff\u0800")).isEqualTo("\u007f\u0080\u07ff\u0800");
        assertThat(CloseCodes.reason("a".repeat(117) + "€")).as("exactly 120 bytes").hasSize(118);
        assertThat(CloseCodes.reason("a".repeat(118) + "ж")).as("exactly 120 bytes").hasSize(119);
        assertThat(CloseCodes.reason("a".repeat(119) + "\u0080")).as("121 bytes").hasSize(119);
        assertThat(CloseCodes.reason("a".repeat(118) + "\u0800")).as("121 bytes").hasSize(118);
        assertThat(CloseCodes.reason("a".repeat(119) + "\u007f")).as("120 bytes").hasSize(120);
        assertThat(CloseCodes.reason("a".repeat(118) + "\u07ff")).as("120 bytes").hasSize(119);
    }

    @Test
    void theReasonStopsBeforeASurrogatePair() {
        assertThat(CloseCodes.reason("ok \uD83D\uDE00 more")).isEqualTo("ok ");
    }

    @Test
    void aQueryWithoutParametersIsEmptyAndANameWithoutValueHasAnEmptyOne() {
        assertThat(QueryString.parse(null, Set.of("a"))).isEmpty();
        assertThat(QueryString.parse("", Set.of("a"))).isEmpty();
        assertThat(QueryString.parse("a", Set.of("a"))).isEqualTo(Map.of("a", ""));
        assertThat(QueryString.parse("a=", Set.of("a"))).isEqualTo(Map.of("a", ""));
        assertThat(QueryString.parse("a=%41b", Set.of("a"))).isEqualTo(Map.of("a", "Ab"));
        assertThat(QueryString.parse("=x", Set.of(""))).isEqualTo(Map.of("", "x"));
    }
}
