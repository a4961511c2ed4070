package io.benchlink.agent.profile;

/**
 * Turns one line of tester output into {@link LineFacts}; unknown lines are {@link LineFacts#NONE}. The only
 * exception is an {@link IllegalStateException} when a user regex exceeds its step budget on a line.
 */
public interface LineParser {
    LineFacts parse(String line);
}
