package io.benchlink.gateway.ws;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The edges of handshake routing (PROTOCOL.md §2, §3) that {@code RouteTest} leaves open. */
class RouteLimitsTest {
    @Test
    void aDescriptorOfExactly2048CharactersIsRoutedAndOneMoreIsUnknown() {
        String path = "/ws/devices/all?token=";
        String fits = path + "t".repeat(2048 - path.length());

        assertThat(Route.parse(fits).kind()).isEqualTo(Route.Kind.DEVICES);
        assertThat(Route.parse(fits + "t")).isEqualTo(new Route(Route.Kind.UNKNOWN, null, false, -1, null,
                "unknown path"));
    }

    @Test
    void onlyTheExactAgentPathIsTheAgentEndpoint() {
        assertThat(Route.parse("/ws/agents")).isEqualTo(new Route(Route.Kind.AGENTS, null, false, 0, null, null));
        assertThat(Route.parse("/ws/agents?x=1").kind()).as("its query is ignored").isEqualTo(Route.Kind.AGENTS);
        assertThat(Route.parse("/ws/agents/").kind()).isEqualTo(Route.Kind.UNKNOWN);
        assertThat(Route.parse("/ws/agent").kind()).isEqualTo(Route.Kind.UNKNOWN);
        assertThat(Route.parse("/ws/devices").kind()).isEqualTo(Route.Kind.UNKNOWN);
    }

    @Test
    void allDevicesIsTheAllPathOnly() {
        assertThat(Route.parse("/ws/devices/all").deviceId()).isNull();
        assertThat(Route.parse("/ws/devices/bench-1").allDevices()).isFalse();
        assertThat(Route.parse("/ws/agents").allDevices()).isFalse();
        assertThat(Route.parse("/ws/devices/bad%20id").allDevices()).isFalse();
    }

    @Test
    void aPercentEncodedDeviceIdIsDecodedAndAnEmptyOneIsInvalid() {
        assertThat(Route.parse("/ws/devices/bench%2D1").deviceId()).isEqualTo("bench-1");
        assertThat(Route.parse("/ws/devices/")).isEqualTo(new Route(Route.Kind.INVALID, null, false, -1, null,
                "invalid device_id"));
    }

    @Test
    void snapshotIsTrueOrFalseAndNothingElse() {
        assertThat(Route.parse("/ws/devices/all?snapshot=false").snapshot()).isFalse();
        assertThat(Route.parse("/ws/devices/all").snapshot()).isFalse();
        assertThat(Route.parse("/ws/devices/all?snapshot=true").snapshot()).isTrue();
        assertThat(Route.parse("/ws/devices/all?snapshot=yes")).isEqualTo(new Route(Route.Kind.INVALID, null, false,
                -1, null, "snapshot must be true or false"));
        assertThat(Route.parse("/ws/devices/all?snapshot=TRUE").kind()).isEqualTo(Route.Kind.INVALID);
    }

    @Test
    void sinceIsANonNegativeInteger() {
        assertThat(Route.parse("/ws/devices/all?since=-1")).isEqualTo(new Route(Route.Kind.INVALID, null, false, -1,
                null, "since must be a non-negative integer"));
        assertThat(Route.parse("/ws/devices/all?since=x").kind()).isEqualTo(Route.Kind.INVALID);
        assertThat(Route.parse("/ws/devices/all?since=1").since()).isEqualTo(1);
    }

    @Test
    void anUnknownOrRepeatedParameterIsInvalidWithTheParsersReason() {
        Route unknown = Route.parse("/ws/devices/all?foo=1");
        assertThat(unknown.kind()).isEqualTo(Route.Kind.INVALID);
        assertThat(unknown.problem()).isEqualTo("unknown query parameter foo");
        assertThat(unknown.deviceId()).isNull();
    }

    @Test
    void toStringShowsKindDeviceSnapshotSinceAndProblem() {
        assertThat(Route.parse("/ws/devices/bench-1?snapshot=true&since=7&token=s").toString())
                .isEqualTo("Route[DEVICES bench-1 snapshot since=7]");
        assertThat(Route.parse("/ws/devices/all").toString()).isEqualTo("Route[DEVICES]");
        assertThat(Route.parse("/ws/devices/all?since=0").toString()).isEqualTo("Route[DEVICES since=0]");
        assertThat(Route.parse("/nowhere").toString()).isEqualTo("Route[UNKNOWN unknown path]");
    }
}
