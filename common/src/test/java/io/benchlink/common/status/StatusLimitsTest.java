package io.benchlink.common.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

/**
 * The length limits of PROTOCOL.md §1, checked with literal lengths: the hostile-input suite decides what is valid
 * with the same codec, so only a test like this notices a limit that went missing.
 */
class StatusLimitsTest {
    private static final LocalDateTime AT = LocalDateTime.of(2025, 8, 28, 14, 54, 58);

    @Test
    void serialNumberMayHave128CharactersButNot129() {
        assertThat(status("s".repeat(128), null).serialNumber()).hasSize(128);
        assertThatThrownBy(() -> status("s".repeat(129), null))
                .isInstanceOf(InvalidFieldException.class)
                .hasMessageStartingWith("serial_number must be at most 128 characters");
    }

    @Test
    void serialNumberIsTrimmedBeforeItsLengthIsChecked() {
        assertThat(status("  " + "s".repeat(128) + "  ", null).serialNumber()).isEqualTo("s".repeat(128));
    }

    @Test
    void resultMayHave4096CharactersButNot4097() {
        assertThat(status(null, "r".repeat(4096)).result()).hasSize(4096);
        assertThatThrownBy(() -> status(null, "r".repeat(4097)))
                .isInstanceOf(InvalidFieldException.class)
                .hasMessageStartingWith("result must be at most 4096 characters");
    }

    @Test
    void seqMayBeZeroButNotNegative() {
        assertThat(status(null, null).withSeq(0).seq()).isZero();
        assertThatThrownBy(() -> status(null, null).withSeq(-1)).hasMessageStartingWith("seq must not be negative");
    }

    @Test
    void storedKeepsTheStatusAndTakesTheGatewaysSeqAndTime() {
        DeviceStatus status = new DeviceStatus(null, "SN-1", StatusKind.FAIL, AT.minusSeconds(3), AT, AT, "2 failed",
                "bench-07", 0);
        DeviceStatus stored = status.stored(42, AT.plusSeconds(1));
        assertThat(stored.seq()).isEqualTo(42);
        assertThat(stored.updatedAt()).isEqualTo(AT.plusSeconds(1));
        assertThat(stored.withSeq(0).updatedAt()).isEqualTo(AT.plusSeconds(1));
        assertThat(stored).usingRecursiveComparison().ignoringFields("seq", "updatedAt").isEqualTo(status);
    }

    @Test
    void onlyTestOutcomesAreResults() {
        assertThat(StatusKind.SUCCESS.isResult()).isTrue();
        assertThat(StatusKind.FAIL.isResult()).isTrue();
        assertThat(StatusKind.ERROR.isResult()).isTrue();
        assertThat(StatusKind.ONLINE.isResult()).isFalse();
        assertThat(StatusKind.OFFLINE.isResult()).isFalse();
        assertThat(StatusKind.OFFLINE.wireName()).isEqualTo("offline");
    }

    private static DeviceStatus status(String serial, String result) {
        return new DeviceStatus(null, serial, StatusKind.SUCCESS, null, null, AT, result, "bench-07", 0);
    }
}
