package io.benchlink.agent.profile;

/**
 * Turns one line of tester output into {@link LineFacts}. Never throws on any input; unknown lines are {@link
 * LineFacts#NONE}.
 */
public interface LineParser {
    LineFacts parse(String line);
}
