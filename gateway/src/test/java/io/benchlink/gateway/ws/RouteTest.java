package io.benchlink.gateway.ws;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RouteTest {
    @Test
    void parsesAllOneDeviceAndAgents() {
        assertThat(Route.parse("/ws/devices/all").allDevices()).isTrue();
        Route one = Route.parse("/ws/devices/bench-07?snapshot=true&since=41&token=t");
        assertThat(one.kind()).isEqualTo(Route.Kind.DEVICES);
        assertThat(one.deviceId()).isEqualTo("bench-07");
        assertThat(one.snapshot()).isTrue();
        assertThat(one.since()).isEqualTo(41);
        assertThat(one.token()).isEqualTo("t");
        assertThat(Route.parse("/ws/agents").kind()).isEqualTo(Route.Kind.AGENTS);
    }

    @Test
    void withoutSinceThereIsNoReplay() {
        assertThat(Route.parse("/ws/devices/all").since()).isEqualTo(-1);
        assertThat(Route.parse("/ws/devices/all?since=0").since()).isZero();
    }

    @Test
    void deviceIdsAreCaseSensitive() {
        assertThat(Route.parse("/ws/devices/Bench").deviceId()).isEqualTo("Bench");
        assertThat(Route.parse("/ws/devices/ALL").deviceId()).isEqualTo("ALL");
    }

    @Test
    void neverThrowsOnHostileDescriptors() {
        assertThat(Route.parse("/ws/devices/%zz").kind()).isEqualTo(Route.Kind.INVALID);
        assertThat(Route.parse("/ws/devices/" + "a".repeat(5000)).kind()).isEqualTo(Route.Kind.UNKNOWN);
        assertThat(Route.parse("/ws/devices/../agents").kind()).isEqualTo(Route.Kind.INVALID);
        assertThat(Route.parse("/ws/devices/all?since=99999999999999999999").kind()).isEqualTo(Route.Kind.INVALID);
        // the HTTP API's limit too (issue 17.5: one parser): 19 digits are refused on both sides
        assertThat(Route.parse("/ws/devices/all?since=1234567890123456789").kind()).isEqualTo(Route.Kind.INVALID);
        assertThat(Route.parse(null).kind()).isEqualTo(Route.Kind.UNKNOWN);
    }

    @Test
    void toStringNeverShowsTheToken() {
        assertThat(Route.parse("/ws/devices/all?token=s3cret").toString()).doesNotContain("s3cret");
    }
}
