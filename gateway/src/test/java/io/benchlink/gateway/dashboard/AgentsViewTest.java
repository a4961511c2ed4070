package io.benchlink.gateway.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.benchlink.common.time.WallClock;
import io.benchlink.gateway.agents.AgentLinks;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgentsViewTest {
    @Test
    void eachAgentIsListedWithItsLinkStateSinceInTheGatewaysZoneAndItsDevices() {
        WallClock clock = new WallClock(Clock.fixed(Instant.EPOCH, ZoneId.of("Europe/Moscow")));
        long since = Instant.parse("2026-03-02T07:30:00.123456Z").toEpochMilli();

        String json = AgentsView.json(List.of(new AgentLinks.AgentView("rig-1", true, since, List.of("b-1", "b-2")),
                new AgentLinks.AgentView("rig-2", false, since, List.of())), clock);

        assertThat(json).isEqualTo("[{\"agent_id\":\"rig-1\",\"connected\":true,\"since\":\"2026-03-02T10:30:00.123000\","
                + "\"devices\":[\"b-1\",\"b-2\"]},{\"agent_id\":\"rig-2\",\"connected\":false,"
                + "\"since\":\"2026-03-02T10:30:00.123000\",\"devices\":[]}]");
    }
}
