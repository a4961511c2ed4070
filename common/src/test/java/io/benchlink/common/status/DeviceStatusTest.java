package io.benchlink.common.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DeviceStatusTest {
    private static final LocalDateTime AT = LocalDateTime.of(2025, 8, 28, 14, 54, 58, 97_435_123);

    @Test
    void normalisesMacAndDefaultsUnknownSerial() {
        DeviceStatus status = new DeviceStatus("aabb.ccdd.eeff", null, StatusKind.SUCCESS, null, null, AT, null,
                "bench-07", 0);
        assertThat(status.macAddress()).isEqualTo("AA:BB:CC:DD:EE:FF");
        assertThat(status.serialNumber()).isEqualTo("unknown");
        assertThat(status.updatedAt().getNano()).isEqualTo(97_435_000);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "all", ".", "..", "...", "bench 07", "bench/07", "ящик", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"})
    void refusesInvalidDeviceIdNamingFieldAndValue(String id) {
        assertThatThrownBy(() -> DeviceStatus.link(id, StatusKind.ONLINE, null, AT))
                .isInstanceOf(InvalidFieldException.class)
                .hasMessageStartingWith("device_id ");
    }

    @Test
    void acceptsTheLongestAllowedDeviceId() {
        String id = "A-z_0.9" + "x".repeat(57);
        assertThat(DeviceStatus.link(id, StatusKind.OFFLINE, null, AT).deviceId()).isEqualTo(id);
    }

    @Test
    void acceptsIdsWithDotsBesideOtherCharacters() {
        assertThat(DeviceId.isValid(".bench")).isTrue();
        assertThat(DeviceId.isValid("bench..07")).isTrue();
        assertThat(DeviceId.isValid("..")).isFalse();
        assertThatThrownBy(() -> DeviceId.requireAgentId("..")).hasMessageStartingWith("agent_id ");
    }

    @Test
    void refusesMissingStatusAndUpdatedAt() {
        assertThatThrownBy(() -> new DeviceStatus(null, null, null, null, null, AT, null, "b", 0))
                .hasMessageStartingWith("status ");
        assertThatThrownBy(() -> new DeviceStatus(null, null, StatusKind.FAIL, null, null, null, null, "b", 0))
                .hasMessageStartingWith("updated_at ");
    }

    @Test
    void statusKindParsesOnlyExactLowerCaseWireNames() {
        assertThat(StatusKind.fromWire("offline")).isEqualTo(StatusKind.OFFLINE);
        assertThatThrownBy(() -> StatusKind.fromWire("SUCCESS")).hasMessageContaining("\"SUCCESS\"");
    }
}
