package io.benchlink.agent.cli;

/** Placeholder entry point until the agent CLI lands. */
public final class AgentMain {
    private AgentMain() {
    }

    public static void main(String[] args) {
        throw new UnsupportedOperationException("agent CLI not built yet");
    }
}
