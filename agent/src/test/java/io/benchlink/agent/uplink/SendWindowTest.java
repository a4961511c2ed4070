package io.benchlink.agent.uplink;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SendWindowTest {
    @Test
    void floorAdvancesOnlyOverContiguouslyAckedSeqs() {
        SendWindow window = new SendWindow();
        window.reset(10);
        for (long seq = 11; seq <= 14; seq++) {
            window.sent(seq);
        }
        assertThat(window.acked(12)).isTrue();
        assertThat(window.floor()).isEqualTo(10); // 11 still in flight
        assertThat(window.acked(11)).isTrue();
        assertThat(window.floor()).isEqualTo(12);
        assertThat(window.inFlight()).isEqualTo(2);
    }

    @Test
    void gapsInTheSpoolDoNotHoldTheFloorBack() {
        SendWindow window = new SendWindow();
        window.reset(0);
        window.sent(1);
        window.sent(4); // 2 and 3 were dropped from the spool as superseded link statuses
        window.acked(1);
        window.acked(4);
        assertThat(window.floor()).isEqualTo(4);
    }

    @Test
    void aRepeatedOrUnknownAckChangesNothing() {
        SendWindow window = new SendWindow();
        window.reset(5);
        window.sent(6);
        assertThat(window.acked(6)).isTrue();
        assertThat(window.acked(6)).isFalse();
        assertThat(window.acked(3)).isFalse();
        assertThat(window.floor()).isEqualTo(6);
        assertThat(window.lastSent()).isEqualTo(6);
    }
}
