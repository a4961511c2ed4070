package io.benchlink.common.protocol;

/** gateway → agent: the status with this agent seq is durably stored. */
public record Ack(long seq) implements AgentFrame {
}
