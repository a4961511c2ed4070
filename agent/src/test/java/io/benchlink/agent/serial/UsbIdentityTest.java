package io.benchlink.agent.serial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.benchlink.common.status.InvalidFieldException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UsbIdentityTest {
    @Test
    void parsesVendorProductAndSerialInHex() {
        UsbIdentity id = UsbIdentity.parse("0403:6001:A50285BI");
        assertThat(id.vendorId()).isEqualTo(0x0403);
        assertThat(id.productId()).isEqualTo(0x6001);
        assertThat(id.serialNumber()).isEqualTo("A50285BI");
        assertThat(id).hasToString("usb:0403:6001:A50285BI");
    }

    @Test
    void matchesAnySerialWhenNoneIsGiven() {
        UsbIdentity id = UsbIdentity.parse("0x1a86:7523");
        assertThat(id.matches(0x1A86, 0x7523, "whatever")).isTrue();
        assertThat(id.matches(0x1A86, 0x7524, "whatever")).isFalse();
        assertThat(UsbIdentity.parse("1a86:7523:X").matches(0x1A86, 0x7523, "Y")).isFalse();
    }

    @Test
    void refusesIdsThatAreNotHex() {
        assertThatThrownBy(() -> UsbIdentity.parse("04g3:6001")).isInstanceOf(InvalidFieldException.class)
                .hasMessageContaining("vid");
        assertThatThrownBy(() -> UsbIdentity.parse("0403")).isInstanceOf(InvalidFieldException.class);
    }

    @Test
    void mapsByIdLinksToTheDevicesTheyPointAt(@TempDir Path dir) throws Exception {
        Path device = Files.createFile(dir.resolve("ttyUSB3"));
        Path byId = Files.createDirectories(dir.resolve("by-id"));
        Path link = Files.createSymbolicLink(byId.resolve("usb-FTDI_FT232R_A50285BI-if00-port0"), device);
        Files.createSymbolicLink(byId.resolve("dangling"), dir.resolve("gone"));
        assertThat(PortLister.stableNames(byId)).containsExactly(
                java.util.Map.entry(device.toRealPath().toString(), link.toString()));
        assertThat(PortLister.stableNames(dir.resolve("missing"))).isEmpty();
    }
}
