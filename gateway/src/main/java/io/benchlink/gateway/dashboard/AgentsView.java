package io.benchlink.gateway.dashboard;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.benchlink.common.json.Json;
import io.benchlink.common.time.WallClock;
import io.benchlink.gateway.agents.AgentLinks;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;

/**
 * The dashboard's rigs panel ({@code GET /api/agents}): each agent that said hello since the gateway started,
 * whether its link is up, since when (gateway wall clock, like {@code updated_at}) and the devices of its last hello.
 * Read-only and not part of the 1C contract. Stateless.
 */
public final class AgentsView {
    private AgentsView() {
    }

    public static String json(List<AgentLinks.AgentView> agents, WallClock clock) {
        JsonArray out = new JsonArray();
        for (AgentLinks.AgentView agent : agents) {
            JsonObject a = new JsonObject();
            a.addProperty("agent_id", agent.agentId());
            a.addProperty("connected", agent.connected());
            a.addProperty("since", WallClock.format(LocalDateTime.ofInstant(Instant.ofEpochMilli(agent.sinceMillis()),
                    clock.zone())));
            JsonArray devices = new JsonArray();
            agent.devices().forEach(devices::add);
            a.add("devices", devices);
            out.add(a);
        }
        return Json.GSON.toJson(out);
    }
}
