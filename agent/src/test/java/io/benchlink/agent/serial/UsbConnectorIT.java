package io.benchlink.agent.serial;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.benchlink.agent.testing.NativeForTests;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class UsbConnectorIT {
    @Test
    void scansThePortListAtMostOncePerIntervalWhileTheAdapterIsMissing() {
        NativeForTests.load();
        UsbConnector connector = new UsbConnector(new UsbIdentity(0xFFFE, 0xFFFE, "NOPE"), SerialSettings.DEFAULT,
                Duration.ofMinutes(1));
        assertThatThrownBy(connector::open).isInstanceOf(IOException.class).hasMessage("usb:fffe:fffe:NOPE not found");
        // the second attempt comes long before the interval is over: it must not enumerate again
        assertThatThrownBy(connector::open).isInstanceOf(IOException.class).hasMessageContaining("next scan in");
    }
}
