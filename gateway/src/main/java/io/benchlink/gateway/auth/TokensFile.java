package io.benchlink.gateway.auth;

import io.benchlink.gateway.config.AgentTokenSyntax;
import io.benchlink.gateway.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The tokens file ({@code --tokens-file}), one token per line, re-read on SIGHUP:
 * <pre>
 * # comment
 * agent      TOKEN            any agent_id may use it (also for POST /api/events)
 * agent      rig-07:TOKEN     only agent_id rig-07
 * subscriber TOKEN            1C, dashboards, the read side of the HTTP API
 * </pre>
 * Errors name the file and line number, never the line's text (it holds a secret).
 */
public record TokensFile(List<String> agentTokens, List<String> subscriberTokens) {
    public TokensFile {
        agentTokens = List.copyOf(agentTokens);
        subscriberTokens = List.copyOf(subscriberTokens);
    }

    public static TokensFile read(Path path) {
        List<String> lines;
        try {
            lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException("--tokens-file cannot read " + path + " (" + e.getClass().getSimpleName() + ")");
        }
        List<String> agents = new ArrayList<>();
        List<String> subscribers = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (i == 0 && line.startsWith("\uFEFF")) {
                line = line.substring(1).strip();
            }
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\s+", 2);
            String where = "--tokens-file " + path + " line " + (i + 1);
            if (parts.length != 2 || !(parts[0].equals("agent") || parts[0].equals("subscriber"))) {
                throw new ConfigException(where + ": expected 'agent TOKEN', 'agent AGENT_ID:TOKEN' or 'subscriber TOKEN'");
            }
            if (parts[0].equals("agent")) {
                try {
                    AgentTokenSyntax.check(parts[1]);
                } catch (ConfigException e) {
                    throw new ConfigException(where + ": " + e.getMessage().replace("--agent-token: ", ""));
                }
                agents.add(parts[1]);
            } else {
                subscribers.add(parts[1]);
            }
        }
        return new TokensFile(agents, subscribers);
    }

    /** Tokens never appear in logs. */
    @Override
    public String toString() {
        return "TokensFile[" + agentTokens.size() + " agent, " + subscriberTokens.size() + " subscriber]";
    }
}
