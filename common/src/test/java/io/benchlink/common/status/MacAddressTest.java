package io.benchlink.common.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class MacAddressTest {
    @ParameterizedTest
    @ValueSource(strings = {"aa-bb-cc-dd-ee-ff", "aabb.ccdd.eeff", "AABBCCDDEEFF", "aa:bb:cc:dd:ee:ff",
        "AA:BB:CC:DD:EE:FF", " aabbccddeeff "})
    void normalisesEveryCommonSpellingToUpperColonForm(String raw) {
        assertThat(MacAddress.normalize(raw)).isEqualTo("AA:BB:CC:DD:EE:FF");
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"  ", "unknown", "UNKNOWN"})
    void absentMacBecomesUnknown(String raw) {
        assertThat(MacAddress.normalize(raw)).isEqualTo("unknown");
    }

    @ParameterizedTest
    @ValueSource(strings = {"aa-bb-cc-dd-ee", "gg:bb:cc:dd:ee:ff", "aa:bb-cc:dd:ee:ff", "aabbccddeeff00", "a.b.c"})
    void refusesMalformedMacNamingTheField(String raw) {
        assertThatThrownBy(() -> MacAddress.normalize(raw))
                .isInstanceOf(InvalidFieldException.class)
                .hasMessageStartingWith("mac_address ")
                .hasMessageContaining(raw);
    }
}
