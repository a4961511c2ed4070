package io.benchlink.gateway.auth;

import io.benchlink.gateway.config.ConfigException;
import io.benchlink.gateway.config.GatewayConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's agent and subscriber tokens: those from flags and the config file plus those of the tokens file.
 * One instance is shared by the WebSocket and HTTP sides, so a reload reaches both at once.
 *
 * <p>Thread-safe: {@link #reload} (on the signal thread) swaps each {@link TokenCheck}'s list atomically. A file that
 * fails to parse on reload, or that would leave no token of a kind that has some now, keeps the tokens in force and
 * logs why; a bad file at start-up stops the start (exit 2).
 */
public final class Credentials {
    private static final Logger LOG = LoggerFactory.getLogger(Credentials.class);

    private final List<String> fixedAgents;
    private final List<String> fixedSubscribers;
    private final Path file;
    private final TokenCheck agents;
    private final TokenCheck subscribers;

    private Credentials(GatewayConfig config, TokensFile fromFile) {
        this.fixedAgents = config.agentTokens();
        this.fixedSubscribers = config.subscriberTokens();
        this.file = config.security().tokensFile();
        this.agents = TokenCheck.forAgents(join(fixedAgents, fromFile.agentTokens()));
        this.subscribers = new TokenCheck(join(fixedSubscribers, fromFile.subscriberTokens()));
    }

    /** Reads the tokens file, if any; a bad file throws {@link ConfigException}. */
    public static Credentials load(GatewayConfig config) {
        Path file = config.security().tokensFile();
        return new Credentials(config, file == null ? new TokensFile(List.of(), List.of()) : TokensFile.read(file));
    }

    public TokenCheck agents() {
        return agents;
    }

    public TokenCheck subscribers() {
        return subscribers;
    }

    /** Re-reads the tokens file; returns false (and keeps the current tokens) if it cannot be read or parsed. */
    public boolean reload() {
        if (file == null) {
            LOG.info("tokens reload requested, but no --tokens-file is configured");
            return false;
        }
        TokensFile fresh;
        try {
            fresh = TokensFile.read(file);
        } catch (ConfigException e) {
            LOG.error("tokens file not reloaded, the tokens in force stay: {}", e.getMessage());
            return false;
        }
        List<String> newAgents = join(fixedAgents, fresh.agentTokens());
        List<String> newSubscribers = join(fixedSubscribers, fresh.subscriberTokens());
        String opened = agents.required() && newAgents.isEmpty() ? "agent"
                : subscribers.required() && newSubscribers.isEmpty() ? "subscriber" : null;
        if (opened != null) {
            // Issue 14.6, fail closed: no tokens means anyone is let in, so an emptied (or half-written) file must
            // not open the gateway. Removing the last token of a kind takes a restart, which the log then shows.
            LOG.error("tokens file not reloaded: {} would leave no {} token, which lets anyone in; the tokens in force"
                    + " stay", file, opened);
            return false;
        }
        agents.replace(newAgents);
        subscribers.replace(newSubscribers);
        LOG.info("tokens reloaded from {}: {} agent, {} subscriber", file, agents.size(), subscribers.size());
        return true;
    }

    private static List<String> join(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
