package io.benchlink.common.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.benchlink.common.status.InvalidFieldException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The hello and status frames validate themselves (PROTOCOL.md §3), whatever codec or caller builds them. */
class HelloTest {

    @ParameterizedTest
    @ValueSource(strings = {"bench 07", "all", "", "ящик"})
    void refusesAnInvalidDeviceIdAnywhereInTheList(String bad) {
        assertThatThrownBy(() -> new Hello("rig-07", "t", List.of("bench-01", bad)))
                .isInstanceOf(InvalidFieldException.class)
                .hasMessageStartingWith("devices ");
    }

    @Test
    void refusesANullDeviceIdInTheList() {
        List<String> devices = new ArrayList<>();
        devices.add("bench-01");
        devices.add(null);
        // List.copyOf refuses null before the id rule sees it; either way no hello with a null device exists
        assertThatThrownBy(() -> new Hello("rig-07", "t", devices)).isInstanceOf(RuntimeException.class);
    }

    @Test
    void acceptsUpTo1024DevicesAndRefuses1025() {
        assertThat(new Hello("rig", "", ids(1024)).devices()).hasSize(1024);
        assertThatThrownBy(() -> new Hello("rig", "", ids(1025)))
                .isInstanceOf(InvalidFieldException.class)
                .hasMessageContaining("at most 1024");
    }

    @Test
    void refusesARepeatedDeviceId() {
        assertThatThrownBy(() -> new Hello("rig", "", List.of("a", "b", "a")))
                .hasMessageContaining("must not repeat");
    }

    @Test
    void agentIdFollowsTheIdCharactersButMayBeAll() {
        assertThat(new Hello("all", null, null).agentId()).isEqualTo("all");
        assertThat(new Hello("all", null, null).devices()).isEmpty();
        assertThatThrownBy(() -> new Hello("rig 07", "", List.of())).hasMessageStartingWith("agent_id ");
    }

    @Test
    void textNamesAgentAndDevicesButNotTheToken() {
        assertThat(new Hello("rig-07", "s3cret", List.of("bench-01")).toString())
                .isEqualTo("Hello[agentId=rig-07, devices=[bench-01]]");
    }

    @Test
    void statusFrameSeqStartsAtOne() {
        assertThatThrownBy(() -> new StatusFrame(0, null)).hasMessageStartingWith("seq ");
        assertThatThrownBy(() -> new StatusFrame(1, null)).isInstanceOf(NullPointerException.class);
    }

    private static List<String> ids(int count) {
        return IntStream.rangeClosed(1, count).mapToObj(i -> "bench-" + i).toList();
    }
}
