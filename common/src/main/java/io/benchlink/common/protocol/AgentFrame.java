package io.benchlink.common.protocol;

/** A frame on the agent link of PROTOCOL.md §3; each frame is one JSON text message with a {@code type}. */
public sealed interface AgentFrame permits Hello, Welcome, StatusFrame, Ack, ErrorFrame, Goodbye {
}
