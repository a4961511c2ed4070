package io.benchlink.agent.serial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fazecast.jSerialComm.SerialPort;
import io.benchlink.common.status.InvalidFieldException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The config spelling of the line settings and its mapping to jSerialComm's constants (no port is opened). */
class SerialSettingsTest {

    @Test
    void defaultsTo9600EightNoneOneWithoutFlowControl() {
        SerialSettings settings = new SerialSettings(9600, 8, null, null, null);
        assertThat(settings).isEqualTo(SerialSettings.DEFAULT);
        assertThat(settings.parityCode()).isEqualTo(SerialPort.NO_PARITY);
        assertThat(settings.stopBitsCode()).isEqualTo(SerialPort.ONE_STOP_BIT);
        assertThat(settings.flowControlCode()).isEqualTo(SerialPort.FLOW_CONTROL_DISABLED);
    }

    @ParameterizedTest
    @CsvSource({"50, 5", "4000000, 8"})
    void acceptsTheBoundsOfBaudAndDataBits(int baud, int dataBits) {
        assertThat(new SerialSettings(baud, dataBits, "none", "1", "none").baud()).isEqualTo(baud);
    }

    @ParameterizedTest
    @CsvSource({"49, 8, baud", "4000001, 8, baud", "9600, 4, data_bits", "9600, 9, data_bits"})
    void refusesBaudAndDataBitsOutsideTheirRanges(int baud, int dataBits, String field) {
        assertThatThrownBy(() -> new SerialSettings(baud, dataBits, "none", "1", "none"))
                .isInstanceOf(InvalidFieldException.class)
                .hasMessageStartingWith(field + " ");
    }

    @Test
    void readsEachParityInAnyCaseAndSpacing() {
        assertThat(parity(" None ")).isEqualTo(SerialPort.NO_PARITY);
        assertThat(parity("ODD")).isEqualTo(SerialPort.ODD_PARITY);
        assertThat(parity("even")).isEqualTo(SerialPort.EVEN_PARITY);
        assertThat(parity("Mark")).isEqualTo(SerialPort.MARK_PARITY);
        assertThat(parity("space")).isEqualTo(SerialPort.SPACE_PARITY);
        assertThat(new SerialSettings(9600, 8, " ODD ", "1", "none").parity()).isEqualTo("odd");
    }

    @Test
    void readsEachStopBitsAndFlowControl() {
        assertThat(new SerialSettings(9600, 8, "none", "1.5", "none").stopBitsCode())
                .isEqualTo(SerialPort.ONE_POINT_FIVE_STOP_BITS);
        assertThat(new SerialSettings(9600, 8, "none", "2", "none").stopBitsCode())
                .isEqualTo(SerialPort.TWO_STOP_BITS);
        assertThat(new SerialSettings(9600, 8, "none", "1", "RTSCTS").flowControlCode())
                .isEqualTo(SerialPort.FLOW_CONTROL_RTS_ENABLED | SerialPort.FLOW_CONTROL_CTS_ENABLED);
        assertThat(new SerialSettings(9600, 8, "none", "1", "xonxoff").flowControlCode())
                .isEqualTo(SerialPort.FLOW_CONTROL_XONXOFF_IN_ENABLED | SerialPort.FLOW_CONTROL_XONXOFF_OUT_ENABLED);
    }

    @ParameterizedTest
    @CsvSource({"parity, 1, none, parity", "none, 3, none, stop_bits", "none, 1, dtrdsr, flow_control"})
    void refusesUnknownSpellingsNamingTheField(String parity, String stopBits, String flow, String field) {
        assertThatThrownBy(() -> new SerialSettings(9600, 8, parity, stopBits, flow))
                .isInstanceOf(InvalidFieldException.class)
                .hasMessageStartingWith(field + " must be");
    }

    private static int parity(String spelling) {
        return new SerialSettings(9600, 8, spelling, "1", "none").parityCode();
    }
}
