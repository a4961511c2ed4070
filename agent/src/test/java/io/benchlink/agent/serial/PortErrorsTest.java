package io.benchlink.agent.serial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.condition.OS.LINUX;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;

@EnabledOnOs(LINUX)
class PortErrorsTest {
    @Test
    void aFailedReadWithEioReadsAsAnIoErrorOnThePort() {
        assertThat(PortErrors.reading("/dev/ttyUSB0", 5)).isEqualTo("I/O error reading /dev/ttyUSB0");
    }

    @Test
    void aPortHeldByAnotherProgramSaysSoWhenItCannotBeOpened() {
        assertThat(PortErrors.opening("/dev/ttyUSB0", 16)).isEqualTo("cannot open /dev/ttyUSB0 (in use by another program)");
        assertThat(PortErrors.opening("/dev/ttyUSB0", 13)).contains("permission denied");
    }

    @Test
    void anUnknownCodeIsKeptAsANumber() {
        assertThat(PortErrors.reading("/dev/ttyS3", 71)).isEqualTo("cannot read /dev/ttyS3 (error 71)");
        assertThat(PortErrors.writing("/dev/ttyS3", 0, 0, 7)).isEqualTo("cannot write to /dev/ttyS3 (no reason given; 0 of 7 bytes sent)");
    }
}
