package io.benchlink.common.protocol;

/** gateway → agent: why the link is about to be closed (bad hello, bad token, bad frame). */
public record ErrorFrame(String message) implements AgentFrame {
}
