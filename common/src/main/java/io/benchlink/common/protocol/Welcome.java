package io.benchlink.common.protocol;

/** gateway → agent: the highest agent seq already stored for this agent_id (0 if none). */
public record Welcome(long lastSeq) implements AgentFrame {
}
