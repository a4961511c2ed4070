package io.benchlink.common.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Edges of the MAC spellings: zero digits, each separator layout, and mixtures that are refused. */
class MacSpellingTest {

    @ParameterizedTest
    @CsvSource({
        "000000000000, 00:00:00:00:00:00",
        "00:10:0a:00:f0:00, 00:10:0A:00:F0:00",
        "00-10-0a-00-f0-00, 00:10:0A:00:F0:00",
        "0010.0a00.f000, 00:10:0A:00:F0:00"})
    void readsZeroDigitsInEveryLayout(String raw, String expected) {
        assertThat(MacAddress.normalize(raw)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"00.10.0a.00.f0.00", "00:10-0a:00:f0:00", "00:10:0a:00:f0-00", "00:10:0a:00:f0:0g",
        "0010.0a00.f00g", "0010:0a00.f000", "0010.0a00:f000", "00100a00f00g", "00:10:0a:00:f0"})
    void refusesMixedSeparatorsAndNonHexDigits(String raw) {
        assertThatThrownBy(() -> MacAddress.normalize(raw))
                .isInstanceOf(InvalidFieldException.class)
                .hasMessageStartingWith("mac_address ");
    }
}
