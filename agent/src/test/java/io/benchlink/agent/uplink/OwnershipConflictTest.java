package io.benchlink.agent.uplink;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OwnershipConflictTest {
    @Test
    void takesTheOwnerFromTheGatewaysRefusal() {
        assertThat(OwnershipConflict.ownerIn("bench-07 is owned by rig-03")).isEqualTo("rig-03");
        assertThat(OwnershipConflict.ownerIn("device bench-07 is owned by rig-07.")).isEqualTo("rig-07");
    }

    @Test
    void takesNoOwnerFromAMessageWithoutOneOrWithPeerTextThatIsNoAgentId() {
        assertThat(OwnershipConflict.ownerIn("bench-07 is owned by another agent")).isNull();
        assertThat(OwnershipConflict.ownerIn("seq implausibly far above the mark")).isNull();
        assertThat(OwnershipConflict.ownerIn(null)).isNull();
        assertThat(OwnershipConflict.ownerIn("owned by rig\u001b[2J")).isNull();
    }

    @Test
    void tellsAnOwnershipRefusalFromAnyOther() {
        assertThat(OwnershipConflict.isOwnership("bench-07 is owned by rig-03")).isTrue();
        assertThat(OwnershipConflict.isOwnership("bench-07 is owned by another agent")).isTrue();
        assertThat(OwnershipConflict.isOwnership("seq 4611686018427387904 is implausibly far above 5")).isFalse();
        assertThat(OwnershipConflict.isOwnership(null)).isFalse();
    }

    @Test
    void describesTheConflictInOneLine() {
        assertThat(new OwnershipConflict("bench-07", "rig-03", 12).describe())
                .isEqualTo("bench-07 owned by another rig (rig-03): 12 statuses held");
        assertThat(new OwnershipConflict("bench-07", null, 1).describe())
                .isEqualTo("bench-07 owned by another rig: 1 status held");
    }
}
