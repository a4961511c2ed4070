package io.benchlink.gateway.app;

import io.benchlink.gateway.auth.Credentials;
import io.benchlink.gateway.config.GatewayConfig;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Says loudly at start what an operator should know about the exposure of this gateway. */
final class StartupWarnings {
    private static final Logger LOG = LoggerFactory.getLogger(StartupWarnings.class);

    private StartupWarnings() {
    }

    static void log(GatewayConfig config, Credentials credentials) {
        if (isLoopback(config.bind())) {
            return;
        }
        boolean anyTokens = credentials.agents().required() || credentials.subscribers().required();
        if (anyTokens && config.security().tls() == null) {
            LOG.warn("tokens travel in clear text on {}: set --tls-keystore on an untrusted network", config.bind());
        }
        if (config.allowAnonymous()) {
            return;
        }
        if (!credentials.agents().required()) {
            LOG.warn("no --agent-token set and listening on {}: anyone on the network can send statuses"
                    + " (set tokens, bind 127.0.0.1, or pass --allow-anonymous)", config.bind());
        }
        if (!credentials.subscribers().required()) {
            LOG.warn("no --subscriber-token set and listening on {}: anyone on the network can read statuses",
                    config.bind());
        }
    }

    private static boolean isLoopback(String bind) {
        try {
            return InetAddress.getByName(bind).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
