package io.benchlink.common.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class DeviceIdTest {

    @Test
    void requireReturnsAValidIdUnchanged() {
        assertThat(DeviceId.require("device_id", "Bench-07.a_b")).isEqualTo("Bench-07.a_b");
        assertThat(DeviceId.requireAgentId("rig-07")).isEqualTo("rig-07");
    }

    @Test
    void allIsReservedForDevicesOnly() {
        assertThatThrownBy(() -> DeviceId.require("device", "all"))
                .hasMessage("device must not be the reserved word \"all\" (got \"all\")");
        assertThat(DeviceId.requireAgentId("all")).isEqualTo("all");
        assertThat(DeviceId.isValid("all")).isFalse();
        assertThat(DeviceId.isValid("All")).isTrue();
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"bench 07", "bench/07", "ящик"})
    void isValidRefusesWhatRequireRefuses(String id) {
        assertThat(DeviceId.isValid(id)).isFalse();
        assertThatThrownBy(() -> DeviceId.require("device", id)).isInstanceOf(InvalidFieldException.class);
        assertThatThrownBy(() -> DeviceId.requireAgentId(id)).isInstanceOf(InvalidFieldException.class);
    }

    @Test
    void isValidAcceptsOneTo64Characters() {
        assertThat(DeviceId.isValid("b")).isTrue();
        assertThat(DeviceId.isValid("b".repeat(64))).isTrue();
        assertThat(DeviceId.isValid("b".repeat(65))).isFalse();
    }

    @Test
    void errorsNameTheFieldAndShowAtMost80CharactersOfTheValue() {
        InvalidFieldException exact = new InvalidFieldException("f", "v".repeat(80), "is bad");
        assertThat(exact.field()).isEqualTo("f");
        assertThat(exact).hasMessage("f is bad (got \"" + "v".repeat(80) + "\")");
        assertThat(new InvalidFieldException("f", "v".repeat(81), "is bad"))
                .hasMessage("f is bad (got \"" + "v".repeat(80) + "...\")");
        assertThat(new InvalidFieldException("f", null, "is required")).hasMessage("f is required (got null)");
    }
}
